// Shows the notifications the policy decides on. A click opens the app at the destination it names, on the
// host it is about.
// Shown notifications are kept referenced until closed or clicked: Electron drops the click handler of
// a notification object that was garbage-collected.
import type { NotificationDraft } from '../desktop/notification-policy.js';
import type { ElectronApi, NotificationLike } from './electron-api.js';

/** Most notifications kept referenced at once. */
const KEPT = 10;

/** Shows OS notifications and routes their clicks. */
export class Notifier {
  private readonly kept: NotificationLike[] = [];

  constructor(
    private readonly api: Pick<ElectronApi, 'Notification'>,
    /** Opens the window at the destination, on the listed host `host` (absent: this computer). */
    private readonly onClick: (destinationKey: string | null, host: string | null) => void,
    private readonly log: (line: string) => void,
  ) {}

  /** Shows one notification; returns false where the OS has no notification service. */
  show(draft: Pick<NotificationDraft, 'title' | 'body' | 'destinationKey'> & { host?: string }): boolean {
    if (!this.api.Notification.isSupported()) {
      this.log(`notification not shown (unsupported here): ${draft.title} — ${draft.body}`);
      return false;
    }
    const n = new this.api.Notification({ title: draft.title, body: draft.body, silent: false });
    const forget = (): void => {
      const i = this.kept.indexOf(n);
      if (i >= 0) this.kept.splice(i, 1);
    };
    n.on('click', () => {
      forget();
      this.onClick(draft.destinationKey, draft.host ?? null);
    });
    n.on('close', forget);
    this.kept.push(n);
    if (this.kept.length > KEPT) this.kept.shift();
    n.show();
    return true;
  }
}

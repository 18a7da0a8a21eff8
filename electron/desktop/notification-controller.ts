// Severity notifications and notices about the app itself: the policy (notification-policy.ts) decides
// from each sample, this keeps what was shown (bounded, for tests and the end-to-end hook) and hands
// each one to `show`, the OS side (electron/main/notifier.ts).
import type { Sample } from '../common/model.js';
import type { HostSample } from '../common/host-sample.js';
import { HostNotifications } from './host-alerts.js';
import { NamespaceNotifications } from './namespace-alerts.js';
import { NotificationPolicy, type NotificationDraft } from './notification-policy.js';
import type { NotificationSettings } from './settings.js';

/** Most shown notifications remembered. */
export const SHOWN_KEPT = 100;

/** What the OS side shows; `host` (a listed remote host) is where a click opens the window, absent: this computer. */
export type NotificationShow = (draft: Pick<NotificationDraft, 'title' | 'body' | 'destinationKey'> & { host?: string }) => void;

export class NotificationController {
  private readonly policy = new NotificationPolicy();
  private readonly namespacePolicies = new NamespaceNotifications();
  private readonly hostPolicies = new HostNotifications();
  private readonly shownDrafts: NotificationDraft[] = [];

  constructor(
    private readonly show: NotificationShow,
    private readonly clock: () => number,
    /** Local minute of the day of an epoch ms (quiet hours). */
    private readonly minuteOfDay: (epochMs: number) => number,
  ) {}

  /** One sample: shows what the policy decides, under the user's notification settings. */
  observe(sample: Sample, settings: NotificationSettings): void {
    const now = this.clock();
    const decision = this.policy.observe(sample, settings, now, this.minuteOfDay(now));
    if (!('show' in decision)) return;
    this.shownDrafts.push(decision.show);
    if (this.shownDrafts.length > SHOWN_KEPT) this.shownDrafts.shift();
    this.show(decision.show);
  }

  /** One reading of every namespace: each other namespace judged on its own, its notifications naming it. */
  observeNamespaces(host: HostSample, settings: NotificationSettings): void {
    const now = this.clock();
    for (const draft of this.namespacePolicies.observe(host, settings, now, this.minuteOfDay(now))) {
      this.shownDrafts.push(draft);
      if (this.shownDrafts.length > SHOWN_KEPT) this.shownDrafts.shift();
      this.show(draft);
    }
  }

  /** One sample of a listed remote host: judged on its own, its notification naming the host. */
  observeHost(host: string, sample: Sample, settings: NotificationSettings): void {
    const now = this.clock();
    const draft = this.hostPolicies.observe(host, sample, settings, now, this.minuteOfDay(now));
    if (!draft) return;
    this.shownDrafts.push(draft);
    if (this.shownDrafts.length > SHOWN_KEPT) this.shownDrafts.shift();
    this.show(draft);
  }

  /** Forgets what hosts no longer listed were told. */
  keepHosts(hosts: readonly string[]): void {
    this.hostPolicies.keep(hosts);
  }

  /** A notice about the app (settings repaired or refused): not a severity change, opens the overview. */
  notice(title: string, body: string): void {
    this.show({ title, body, destinationKey: null });
  }

  /** Severity notifications shown so far (the last SHOWN_KEPT). */
  shown(): readonly NotificationDraft[] {
    return this.shownDrafts;
  }
}

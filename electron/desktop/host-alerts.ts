// Notifications about the remote hosts of the settings' list: each host judged on its own by the same
// policy as this computer (what it was last told, rate limit, quiet hours), each notification naming the
// host and opening the window on it when clicked. A host that cannot be read is "unknown", which the
// policy never announces (no reading is not news); the tray says it instead.
import type { Sample } from '../common/model.js';
import { NotificationPolicy, type NotificationDraft } from './notification-policy.js';
import type { NotificationSettings } from './settings.js';

/** A notification about one listed host. */
export interface HostNotification extends NotificationDraft {
  /** The host as listed ("ops@lb2:2222"). */
  host: string;
}

/** One notification policy per listed host, dropped when the host leaves the list. */
export class HostNotifications {
  private readonly policies = new Map<string, NotificationPolicy>();

  /** Observes one sample of `host`; returns the notification to show, or null. */
  observe(host: string, sample: Sample, settings: NotificationSettings, now: number, minuteOfDay: number): HostNotification | null {
    let policy = this.policies.get(host);
    if (!policy) this.policies.set(host, (policy = new NotificationPolicy()));
    const d = policy.observe(sample, settings, now, minuteOfDay);
    if (!('show' in d)) return null;
    return { ...d.show, title: `${d.show.title} on ${host}`, body: `${host}: ${d.show.body}`, host };
  }

  /** Forgets the hosts no longer listed (a host added again starts from "all is well"). */
  keep(hosts: readonly string[]): void {
    for (const h of this.policies.keys()) if (!hosts.includes(h)) this.policies.delete(h);
  }

  /** Hosts followed now. */
  size(): number {
    return this.policies.size;
  }
}

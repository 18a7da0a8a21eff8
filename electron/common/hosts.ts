// The hosts one dashboard can show (`portwatch serve --ssh a --ssh b`): what the page's host picker lists,
// each with its severity, and which one this page is scoped to. Pure data.
import type { SeverityOrUnknown } from './model.js';
import { arr, bool, num, obj, oneOf, optional, str, type Schema } from './schema.js';

/** The most hosts a picker lists (serve watches at most this many). */
export const MAX_PICKER_HOSTS = 64;

/** One watched host as the host picker shows it. */
export interface HostSummary {
  /** Its place in the list: the page for it is `/?host=<index>`. */
  index: number;
  /** "ops@lb2:2222", as the user wrote it. */
  label: string;
  severity: SeverityOrUnknown;
  /** One sentence: why that severity ("Unreachable since …" for a host that does not answer). */
  severityReason: string;
  /** True for the host this connection is scoped to. */
  current: boolean;
  /** The host waits for the user (password, passphrase, host key) and this app can open a login terminal for it (the desktop window). */
  canLogIn?: boolean;
}

/** Checks a host list from a transport. */
export const hostListSchema: Schema<HostSummary[]> = arr(
  obj<HostSummary>(
    {
      index: num({ min: 0, max: MAX_PICKER_HOSTS - 1, integer: true }),
      label: str({ minLength: 1, maxLength: 300 }),
      severity: oneOf('unknown', 'ok', 'warning', 'critical', 'exhausted'),
      severityReason: str({ maxLength: 2000 }),
      current: bool,
      canLogIn: optional(bool),
    },
    { strict: false },
  ),
  { maxLength: MAX_PICKER_HOSTS },
);

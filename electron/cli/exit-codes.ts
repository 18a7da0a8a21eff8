// Exit statuses of `portwatch check`: the monitoring-plugin convention (Nagios, Icinga, Sensu).
import type { SeverityOrUnknown } from '../common/model.js';

export const EXIT = { ok: 0, warning: 1, critical: 2, unknown: 3, usage: 64 } as const;

/** 0 ok, 1 warning, 2 critical or exhausted, 3 unknown. */
export function severityExitCode(s: SeverityOrUnknown): number {
  switch (s) {
    case 'ok':
      return EXIT.ok;
    case 'warning':
      return EXIT.warning;
    case 'critical':
    case 'exhausted':
      return EXIT.critical;
    case 'unknown':
      return EXIT.unknown;
  }
}

/** Exit statuses of `portwatch tune`. */
export const TUNE_EXIT = { ok: 0, reverted: 1, failed: 2, usage: EXIT.usage } as const;

// Fixed colours: one per TCP state (stable across themes, readable on both), one per severity.
import type { TcpStateName } from '../../../electron/common/tcp-state.js';
import type { SeverityOrUnknown } from '../../../electron/common/model.js';

export const STATE_COLORS: Record<TcpStateName, string> = {
  ESTABLISHED: '#2f7ed8',
  'SYN-SENT': '#8e6bd1',
  'SYN-RECV': '#b07cc6',
  'FIN-WAIT-1': '#e0a030',
  'FIN-WAIT-2': '#d9822b',
  'TIME-WAIT': '#e8684a',
  CLOSE: '#9aa0a6',
  'CLOSE-WAIT': '#c2185b',
  'LAST-ACK': '#7c5c3b',
  LISTEN: '#3aa776',
  CLOSING: '#a0522d',
  'NEW-SYN-RECV': '#6d9eeb',
  BOUND: '#5f6b7a',
};

/** CSS variable holding a severity's colour (defined for both themes in styles.css). */
export function severityVar(s: SeverityOrUnknown): string {
  return `var(--sev-${s})`;
}

/** The severity colour as a concrete value (for canvas drawing). */
export function severityColor(el: Element, s: SeverityOrUnknown): string {
  return getComputedStyle(el).getPropertyValue(`--sev-${s}`).trim() || '#888';
}

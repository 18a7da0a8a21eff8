// Words and numbers of the tuning wizard: kernel values as people read them, diff lines, what a session
// phase means. Pure.
import type { TuningPhase } from '../../../electron/common/tuning-contract.js';
import type { WhatIf } from '../../../electron/common/tuning.js';
import { count, rate } from '../format.js';

/** A kernel value as shown: tabs as spaces, "(absent)" and "(empty)" said. */
export function kernelValue(v: string | null): string {
  return v === null ? '(absent)' : v === '' ? '(empty)' : v.replace(/\t/g, ' ');
}

/** "key: old → new", the review's one-line diff of a setting. */
export function settingLine(key: string, current: string | null, proposed: string): string {
  return `${key}: ${kernelValue(current)} → ${kernelValue(proposed)}`;
}

/** The kind of a line of a file diff ("+new", "-old", " same"). */
export function diffKind(line: string): 'add' | 'del' | 'same' {
  return line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'same';
}

/** "at most " when the what-if could not count the ports listeners hold (no socket table): a ceiling. */
function ceiling(w: WhatIf): string {
  return w.capacity.heldByListeners === null && w.capacity.usable !== null ? 'at most ' : '';
}

/** Usable ports of a what-if, for people ("28,232", "at most 28,232"). */
export function usable(w: WhatIf): string {
  return `${ceiling(w)}${count(w.capacity.usable)}`;
}

/** New connections per second one destination sustains ("471/s", "at most 471/s"). */
export function sustainable(w: WhatIf): string {
  return `${ceiling(w)}${rate(w.sustainablePerDestinationPerSec)}`;
}

/** A seconds value without trailing zeros ("60 s", "0.1 s"). */
export function secondsText(s: number): string {
  return `${Number(s.toFixed(3))} s`;
}

/** What a session phase means, in one sentence. */
export function phaseText(phase: TuningPhase): string {
  switch (phase) {
    case 'applying':
      return 'Portwatch\'s helper is running: it saves the old values, writes the new ones and reads them back.';
    case 'awaiting-confirm':
      return 'Applied and read back. The new values are live and revert by themselves unless you keep them.';
    case 'reverting':
      return 'Putting the old values back.';
    case 'kept':
      return 'Kept: the new values stay.';
    case 'reverted':
      return 'Reverted: the old values are back.';
    case 'unchanged':
      return 'Nothing to do: every value was already in effect and persisted.';
    case 'refused':
      return 'Refused: the helper changed nothing (see its message).';
    case 'rolled-back':
      return 'A write failed or read back differently: everything written was put back.';
    case 'failed':
      return 'The helper failed; see its output. Run `portwatch tune --recover` if a change was interrupted.';
  }
}

/** "remote:port from local" of a destination key (`netns|local|remote|port`), or the key itself. */
export function destinationLabel(key: string): string {
  const parts = key.split('|');
  if (parts.length !== 4) return key;
  const [, local, remote, port] = parts;
  const r = remote!.includes(':') ? `[${remote}]` : remote;
  return `${r}:${port} from ${local}`;
}

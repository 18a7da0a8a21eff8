// The text of Portwatch's sysctl drop-in (/etc/sysctl.d/60-portwatch.conf) as a pure function of what it
// held and the settings to persist. No dates or ids in it: the same settings give the same bytes, so
// applying a plan twice writes nothing the second time. Lines it does not own are kept as they are.
import { TUNABLE_KEYS, configText, type HelperSetting } from '../common/tuning.js';
import { normaliseKey } from './sysctl-boot-order.js';

/** The comment the file starts with when Portwatch creates it. */
export const DROP_IN_HEADER =
  '# Written by Portwatch (portwatch tune): ephemeral port settings applied at boot by systemd-sysctl.\n' +
  '# Undo with `portwatch tune --revert <txid>` (see `portwatch tune --status`), or delete this file.\n';

/** The drop-in's new text: each setting replaces the key's existing line (or is appended), in allow-list order. */
export function renderDropIn(existing: string | null, settings: readonly HelperSetting[]): string {
  const wanted = new Map(settings.map((s) => [s.key as string, `${s.key} = ${configText(s)}`]));
  const out: string[] = [];
  const written = new Set<string>();
  const lines = existing === null ? DROP_IN_HEADER.split('\n').slice(0, -1) : existing.split('\n');
  if (existing !== null && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const key = lineKey(line);
    const replacement = key === null ? undefined : wanted.get(key);
    if (replacement === undefined) {
      out.push(line);
      continue;
    }
    // The first line of a key becomes ours; later duplicates would win over it, so they go.
    if (!written.has(key!)) out.push(replacement);
    written.add(key!);
  }
  for (const k of TUNABLE_KEYS) {
    const line = wanted.get(k);
    if (line !== undefined && !written.has(k)) out.push(line);
  }
  return `${out.join('\n')}\n`;
}

/** The normalised key a `key = value` line sets, or null for comments and blank lines. */
function lineKey(line: string): string | null {
  let l = line.trim();
  if (l === '' || l.startsWith('#') || l.startsWith(';') || l.startsWith('!')) return null;
  if (l.startsWith('-')) l = l.slice(1).trimStart();
  const eq = l.indexOf('=');
  return eq > 0 ? normaliseKey(l.slice(0, eq).trim()) : null;
}

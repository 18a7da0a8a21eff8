// Ports with a listening TCP socket, read from /proc/net/tcp and /proc/net/tcp6 of the helper's own
// network namespace. The helper needs them for one guard rail: a range starting below 32768 is only
// allowed when every port listening inside it is reserved in the same change.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SystemSettingError } from '../common/errors/system-setting-error.js';

const LISTEN = '0A';

/** Local ports of LISTEN rows in /proc/net/tcp[6] text (pure; unreadable rows are skipped). */
export function parseListeningPorts(text: string): number[] {
  const ports = new Set<number>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || f[3] !== LISTEN) continue;
    const m = /:([0-9A-Fa-f]{4})$/.exec(f[1] ?? '');
    if (m) ports.add(parseInt(m[1]!, 16));
  }
  return [...ports].sort((a, b) => a - b);
}

/** Listening ports of this network namespace (IPv4 and IPv6); throws naming the file when neither can be read. */
export async function readListeningPorts(proc: string): Promise<number[]> {
  const ports = new Set<number>();
  let read = 0;
  const errors: string[] = [];
  for (const name of ['tcp', 'tcp6']) {
    const path = join(proc, 'net', name);
    try {
      for (const p of parseListeningPorts(await readFile(path, 'utf8'))) ports.add(p);
      read++;
    } catch (e) {
      errors.push(`${path}: ${(e as Error).message}`);
    }
  }
  if (read === 0) throw new SystemSettingError(`cannot read the listening ports: ${errors.join('; ')}`);
  return [...ports].sort((a, b) => a - b);
}

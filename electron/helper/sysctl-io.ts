// Reads and writes /proc/sys files directly: no sysctl program, no shell. A value is written with one
// write(2), the way the kernel wants it; the file is never created (O_CREAT is not used), so a key
// missing on this kernel stays missing.
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TunableKey } from '../common/tuning.js';
import { SystemSettingError } from '../common/errors/system-setting-error.js';

/** The file of a key under a proc root ("net.ipv4.tcp_tw_reuse" → PROC/sys/net/ipv4/tcp_tw_reuse). */
export function sysctlFile(proc: string, key: string): string {
  return join(proc, 'sys', ...key.split('.'));
}

/** The key's text as the kernel shows it (trailing newline removed), or null when this kernel has no such key. */
export async function readSysctlText(proc: string, key: string): Promise<string | null> {
  try {
    return (await readFile(sysctlFile(proc, key), 'utf8')).replace(/\n$/, '');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Writes a key's value in one write(2); rejects with the kernel's error (EINVAL for a refused value). */
export async function writeSysctlText(proc: string, key: TunableKey, text: string): Promise<void> {
  // A trailing newline also makes an empty reserved list a real write ("" would be a zero-length no-op).
  const data = Buffer.from(`${text}\n`, 'utf8');
  const fh = await open(sysctlFile(proc, key), constants.O_WRONLY | constants.O_TRUNC | constants.O_NOFOLLOW);
  try {
    const { bytesWritten } = await fh.write(data, 0, data.length, null);
    if (bytesWritten !== data.length) throw new SystemSettingError(`${key}: short write (${bytesWritten} of ${data.length} bytes)`);
  } finally {
    await fh.close();
  }
}

// Reads the sysctl configuration files (the input of sysctl-boot-order.ts) under a root directory: "/" on
// a real system, a temporary directory in tests. Paths are reported as they are on the system ("/etc/…").
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ETC_SYSCTL_CONF, SYSCTL_D_DIRS, type SysctlConfigFile } from './sysctl-boot-order.js';

const MAX_FILES_PER_DIR = 1000;
const MAX_FILE_BYTES = 1 << 20;

/** Every *.conf file of the sysctl.d directories and /etc/sysctl.conf under `root`, with the problems met. */
export async function readSysctlConfigFiles(root: string): Promise<{ files: SysctlConfigFile[]; problems: string[] }> {
  const files: SysctlConfigFile[] = [];
  const problems: string[] = [];
  for (const dir of SYSCTL_D_DIRS) {
    let names: string[];
    try {
      names = (await readdir(join(root, dir))).filter((n) => n.endsWith('.conf')).sort();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push(`${dir}: ${(e as Error).message}`);
      continue;
    }
    for (const name of names.slice(0, MAX_FILES_PER_DIR)) {
      const f = await readText(root, `${dir}/${name}`, problems);
      if (f) files.push(f);
    }
  }
  const conf = await readText(root, ETC_SYSCTL_CONF, problems);
  if (conf) files.push(conf);
  return { files, problems };
}

async function readText(root: string, path: string, problems: string[]): Promise<SysctlConfigFile | null> {
  try {
    const buf = await readFile(join(root, path));
    if (buf.length > MAX_FILE_BYTES) {
      problems.push(`${path}: larger than ${MAX_FILE_BYTES} bytes, not read`);
      return null;
    }
    return { path, text: buf.toString('utf8') };
  } catch (e) {
    // Absent, or a dangling symlink: sets nothing. (A mask pointing at /dev/null reads as empty.)
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${path}: ${(e as Error).message}`);
    return null;
  }
}

import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSysctlConfigFiles } from '../../electron/helper/sysctl-config-files.js';
import { winningEntry } from '../../electron/helper/sysctl-boot-order.js';

describe('reading the sysctl configuration under a root directory', () => {
  it('reads every .conf file of the sysctl.d directories and /etc/sysctl.conf, reporting system paths', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pw-sysctl-root-'));
    try {
      await mkdir(join(root, 'etc/sysctl.d'), { recursive: true });
      await mkdir(join(root, 'usr/lib/sysctl.d'), { recursive: true });
      await writeFile(join(root, 'etc/sysctl.conf'), 'net.ipv4.ip_local_port_range = 10000 60000\n');
      await symlink('../sysctl.conf', join(root, 'etc/sysctl.d/99-sysctl.conf'));
      await writeFile(join(root, 'etc/sysctl.d/60-portwatch.conf'), 'net.ipv4.ip_local_port_range = 32768 65535\n');
      await writeFile(join(root, 'etc/sysctl.d/README'), 'not read\n');
      await writeFile(join(root, 'usr/lib/sysctl.d/50-default.conf'), 'net.ipv4.ping_group_range = 0 2147483647\n');
      await symlink('/nonexistent/target', join(root, 'usr/lib/sysctl.d/40-dangling.conf'));
      const { files, problems } = await readSysctlConfigFiles(root);
      expect(files.map((f) => f.path)).toEqual([
        '/etc/sysctl.d/60-portwatch.conf',
        '/etc/sysctl.d/99-sysctl.conf',
        '/usr/lib/sysctl.d/50-default.conf',
        '/etc/sysctl.conf',
      ]);
      expect(problems).toEqual([]);
      expect(winningEntry(files, 'net.ipv4.ip_local_port_range', 'systemd-sysctl')?.path).toBe('/etc/sysctl.d/99-sysctl.conf');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('returns nothing, without problems, for a root with no sysctl configuration at all', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pw-sysctl-empty-'));
    try {
      expect(await readSysctlConfigFiles(root)).toEqual({ files: [], problems: [] });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

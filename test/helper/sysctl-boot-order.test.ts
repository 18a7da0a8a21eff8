import { describe, expect, it } from 'vitest';
import { normaliseKey, orderSysctlFiles, parseSysctlConf, winningEntry, type SysctlConfigFile } from '../../electron/helper/sysctl-boot-order.js';

const KEY = 'net.ipv4.ip_local_port_range';
const f = (path: string, text: string): SysctlConfigFile => ({ path, text });

describe('which sysctl file wins at boot', () => {
  it('reads the sysctl.d directories together, sorted by file name; the last setting wins', () => {
    const files = [
      f('/usr/lib/sysctl.d/50-default.conf', `${KEY} = 1 2\n`),
      f('/etc/sysctl.d/60-portwatch.conf', `${KEY} = 32768 65535\n`),
      f('/run/sysctl.d/70-run.conf', `${KEY} = 3 4\n`),
    ];
    expect(orderSysctlFiles(files, 'systemd-sysctl').map((x) => x.path)).toEqual([
      '/usr/lib/sysctl.d/50-default.conf',
      '/etc/sysctl.d/60-portwatch.conf',
      '/run/sysctl.d/70-run.conf',
    ]);
    expect(winningEntry(files, KEY, 'systemd-sysctl')).toMatchObject({ path: '/run/sysctl.d/70-run.conf', value: '3 4', line: 1 });
  });

  it('lets a same-named file in /etc mask the others, whatever they say', () => {
    const files = [
      f('/usr/lib/sysctl.d/99-vendor.conf', `${KEY} = 1 2\n`),
      f('/etc/sysctl.d/99-vendor.conf', '# masked\n'),
      f('/etc/sysctl.d/60-portwatch.conf', `${KEY} = 32768 65535\n`),
    ];
    expect(winningEntry(files, KEY, 'systemd-sysctl')?.path).toBe('/etc/sysctl.d/60-portwatch.conf');
    // /run masks /usr/lib too.
    const run = [f('/usr/lib/sysctl.d/99-x.conf', `${KEY} = 1 2\n`), f('/run/sysctl.d/99-x.conf', `${KEY} = 5 6\n`)];
    expect(winningEntry(run, KEY, 'systemd-sysctl')?.value).toBe('5 6');
  });

  it('reads /etc/sysctl.conf last with procps only', () => {
    const files = [f('/etc/sysctl.d/60-portwatch.conf', `${KEY} = 32768 65535\n`), f('/etc/sysctl.conf', `${KEY}=10000 60000\n`)];
    expect(winningEntry(files, KEY, 'procps')).toMatchObject({ path: '/etc/sysctl.conf', value: '10000 60000' });
    expect(winningEntry(files, KEY, 'systemd-sysctl')?.path).toBe('/etc/sysctl.d/60-portwatch.conf');
  });

  it('sees /etc/sysctl.conf through the 99-sysctl.conf link as a sysctl.d file (Debian)', () => {
    const conf = `${KEY} = 10000 60000\n`;
    const files = [f('/etc/sysctl.d/60-portwatch.conf', `${KEY} = 32768 65535\n`), f('/etc/sysctl.d/99-sysctl.conf', conf), f('/etc/sysctl.conf', conf)];
    expect(winningEntry(files, KEY, 'systemd-sysctl')?.path).toBe('/etc/sysctl.d/99-sysctl.conf');
  });

  it('sorts names by bytes, as strcmp does (upper case before lower case, 100 before 60)', () => {
    const files = [f('/etc/sysctl.d/60-a.conf', `${KEY} = 1 2\n`), f('/etc/sysctl.d/100-b.conf', `${KEY} = 3 4\n`), f('/etc/sysctl.d/Z.conf', `${KEY} = 5 6\n`)];
    expect(orderSysctlFiles(files, 'systemd-sysctl').map((x) => x.path.split('/').pop())).toEqual(['100-b.conf', '60-a.conf', 'Z.conf']);
  });

  it('ignores files that do not end in .conf and directories it does not read', () => {
    const files = [f('/etc/sysctl.d/99-x.conf.dpkg-old', `${KEY} = 1 2\n`), f('/opt/sysctl.d/99.conf', `${KEY} = 1 2\n`), f('/etc/sysctl.d/README', `${KEY} = 1 2\n`)];
    expect(winningEntry(files, KEY, 'procps')).toBeNull();
  });

  it('understands slashes, "-" prefixes, globs, comments and two settings in one file', () => {
    expect(normaliseKey('net/ipv4/ip_local_port_range')).toBe(KEY);
    expect(normaliseKey('net.ipv4.conf.eth0/1.rp_filter')).toBe('net.ipv4.conf.eth0/1.rp_filter');
    const text = `# c\n; c\n-${KEY} = 1 2\nnet.ipv4.ip_local_*_range = 3 4\n!net.ipv4.x\nbroken line\n${KEY} = 5 6\n`;
    const parsed = parseSysctlConf(f('/etc/sysctl.d/a.conf', text));
    expect(parsed.entries.map((e) => [e.key, e.value, e.line])).toEqual([
      [KEY, '1 2', 3],
      ['net.ipv4.ip_local_*_range', '3 4', 4],
      [KEY, '5 6', 7],
    ]);
    expect(parsed.problems).toEqual(['/etc/sysctl.d/a.conf:6: no "=" in "broken line"']);
    expect(winningEntry([f('/etc/sysctl.d/a.conf', `net.ipv4.ip_local_*_range = 3 4\n`)], KEY, 'systemd-sysctl')?.value).toBe('3 4');
  });
});

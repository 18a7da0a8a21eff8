import { describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../electron/server/serve-args.js';

describe('serve --ssh arguments', () => {
  it('takes several hosts and an ssh config file', () => {
    const r = parseServeArgs(['--ssh', 'lb1', '--ssh', 'ops@10.0.0.2:2222', '--ssh-config', '/etc/pw/ssh_config']);
    expect(r.ok && r.options.ssh).toEqual(['lb1', 'ops@10.0.0.2:2222']);
    expect(r.ok && r.options.sshConfig).toBe('/etc/pw/ssh_config');
    const plain = parseServeArgs([]);
    expect(plain.ok && plain.options.ssh).toBeUndefined();
  });

  it('refuses hosts ssh could read as options, a config without hosts, and applying to a remote host, naming the culprit', () => {
    const err = (args: string[]): string => {
      const r = parseServeArgs(args);
      return r.ok ? '' : r.error;
    };
    expect(err(['--ssh=-oProxyCommand=touch /tmp/x'])).toMatch(/starts with "-"/);
    expect(err(['--ssh', 'ok', '--ssh', 'h$(id)'])).toMatch(/SSH host "h\$\(id\)"/);
    expect(err(['--ssh-config', '/x'])).toMatch(/--ssh-config needs --ssh/);
    expect(err(['--ssh', 'lb1', '--ssh-config=-F'])).toMatch(/--ssh-config "-F": starts with "-"/);
    expect(err(['--ssh', 'lb1', '--allow-apply'])).toMatch(/--allow-apply .* cannot be combined with --ssh/);
    expect(err(['--ssh', 'a', '--ssh', 'b', '--port', '65535'])).toMatch(/need ports up to 65536/);
  });
});

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchArgv, createSshRunner, exitArgv, loginArgv, terminalArgv, type SshConnection } from '../../electron/node/remote/ssh-command.js';
import { remoteCommand } from '../../electron/node/remote/remote-script.js';
import { isSshTargetError, parseSshTarget, checkSshConfigPath } from '../../electron/node/remote/ssh-target.js';

const conn = (host: string, more: Partial<SshConnection> = {}): SshConnection => ({ target: parseSshTarget(host), controlDir: '/run/user/1000/portwatch-ssh-1000', ...more });

describe('ssh argv', () => {
  it('puts -- right before the host, multiplexes, compresses and never prompts for a read', () => {
    const argv = batchArgv(conn('ops@lb1:2222', { configFile: '/etc/pw ssh config' }), remoteCommand('full'));
    expect(argv).toEqual([
      '-F', '/etc/pw ssh config',
      '-o', 'ControlMaster=auto',
      '-o', 'ControlPath=/run/user/1000/portwatch-ssh-1000/%C',
      '-o', 'ControlPersist=300',
      '-o', 'ConnectTimeout=10',
      '-o', 'ServerAliveInterval=5',
      '-o', 'ServerAliveCountMax=3',
      '-C',
      '-p', '2222',
      '-l', 'ops',
      '-o', 'BatchMode=yes',
      '-T',
      '--', 'lb1', 'sh', '-s', 'full',
    ]);
    expect(loginArgv(conn('lb1')).slice(-3)).toEqual(['--', 'lb1', 'true']);
    expect(loginArgv(conn('lb1'))).not.toContain('BatchMode=yes');
    expect(terminalArgv(conn('lb1'), ['sudo', '-v']).slice(-5)).toEqual(['-t', '--', 'lb1', 'sudo', '-v']);
    expect(exitArgv(conn('lb1')).slice(-4)).toEqual(['-O', 'exit', '--', 'lb1']);
  });

  it('refuses a target that did not come through parseSshTarget and starts with -', () => {
    expect(() => batchArgv({ target: { host: '-oProxyCommand=x' }, controlDir: '/tmp/x' }, ['sh'])).toThrow(/could be read by ssh as an option/);
    expect(() => batchArgv({ target: { host: 'h', user: '-x' }, controlDir: '/tmp/x' }, ['sh'])).toThrow(/option/);
  });

  it('10,000 fuzzed hosts and config paths: the host is one argv element after --, the remote words are fixed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), fc.constantFrom('full', 'tick') as fc.Arbitrary<'full' | 'tick'>, (host, cfg, mode) => {
        let c: SshConnection;
        try {
          c = { target: parseSshTarget(host), controlDir: '/tmp/ctl', configFile: checkSshConfigPath(cfg) };
        } catch (e) {
          if (!isSshTargetError(e)) throw e;
          return;
        }
        const argv = batchArgv(c, remoteCommand(mode));
        const dd = argv.indexOf('--');
        expect(argv.slice(dd + 1)).toEqual([c.target.host, 'sh', '-s', mode]);
        expect(argv.filter((a) => a === '--').length).toBe(1);
        expect(argv[argv.indexOf('-F') + 1]).toBe(cfg);
      }),
      { numRuns: 10_000 },
    );
  });

  it('hands argv to the program as is: nothing passes through a shell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-argv-'));
    try {
      const marker = join(dir, 'pwned');
      const nasty = [`$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`, `a b'"\\`, '*', '~'];
      // printf prints each argument NUL-terminated: what arrives is exactly what was given.
      const run = createSshRunner(['/usr/bin/printf', '%s\\0']);
      for (const cfg of nasty) {
        const argv = batchArgv(conn('ops@lb1', { configFile: cfg }), remoteCommand('full'));
        const r = await run(argv, 'ignored', 5_000);
        const got = r.stdout.toString('utf8').split('\0').slice(0, -1);
        expect(got).toEqual(['/usr/bin/ssh', ...argv]);
      }
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends a run that does not answer in time, and says so', async () => {
    const run = createSshRunner(['/bin/sh', '-c', 'exec sleep 30', 'launcher']);
    const r = await run([], '', 200);
    expect(r.exitCode).toBeNull();
    expect(r.stderr).toMatch(/no answer within 200 ms/);
  });
});

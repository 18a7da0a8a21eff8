import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDarwinBackend } from '../../../../electron/node/platform/darwin/backend.js';
import { parseSnapshot } from '../../../../electron/node/platform/parse-snapshot.js';
import { fakeRunner, printed } from '../fake-runner.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/darwin/${name}`, import.meta.url));
const NETSTAT = '/usr/sbin/netstat -anvl -p tcp';
const SYSCTL = '/usr/sbin/sysctl net.inet.ip.portrange.first net.inet.ip.portrange.last net.inet.ip.portrange.hifirst net.inet.ip.portrange.hilast net.inet.tcp.msl';
const PS = '/bin/ps -axo pid=,comm=';
const STATS = '/usr/sbin/netstat -s -p tcp';
const sysctlOut = Buffer.concat([fixture('sysctl-portrange.txt'), fixture('sysctl-msl.txt')]);
const statsOut = 'tcp:\n\t4242 connection requests\n\t17 connection accepts\n\t3 listen queue overflows\n';

describe('the macOS backend', () => {
  it('runs each command as an argv array with an absolute path, and keeps the bytes exactly as printed', async () => {
    const runner = fakeRunner({
      [NETSTAT]: printed(fixture('netstat-anv-tahoe.txt')),
      [SYSCTL]: printed(sysctlOut),
      [PS]: printed('  1 /sbin/launchd\n'),
      [STATS]: printed(statsOut),
    });
    const raw = await createDarwinBackend({ runner }).readAll();
    expect(raw.platform).toBe('darwin');
    expect(runner.calls).toEqual(
      expect.arrayContaining([
        { file: '/usr/sbin/netstat', args: ['-anvl', '-p', 'tcp'] },
        { file: '/usr/sbin/sysctl', args: ['net.inet.ip.portrange.first', 'net.inet.ip.portrange.last', 'net.inet.ip.portrange.hifirst', 'net.inet.ip.portrange.hilast', 'net.inet.tcp.msl'] },
        { file: '/bin/ps', args: ['-axo', 'pid=,comm='] },
        { file: '/usr/sbin/netstat', args: ['-s', '-p', 'tcp'] },
      ]),
    );
    expect(runner.calls).toHaveLength(4);
    const byName = Object.fromEntries(raw.sources.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(['hostname', 'netstat-anv-tcp', 'netstat-s-tcp', 'ps-processes', 'sysctl-net-inet']);
    expect(byName['netstat-anv-tcp']!.data!.equals(fixture('netstat-anv-tahoe.txt'))).toBe(true);
    expect(byName['sysctl-net-inet']!.data!.equals(sysctlOut)).toBe(true);

    const snap = parseSnapshot(raw);
    expect(snap.kernel.portRange).toEqual({ low: 49152, high: 65535 });
    expect(snap.kernel.timeWaitSec).toBe(30);
    expect(snap.sockets?.count).toBe(6);
    expect(snap.counters.activeOpens).toBe(4242);
  });

  it('falls back to netstat -anv when this netstat refuses -l', async () => {
    const runner = fakeRunner({
      [NETSTAT]: printed('', 1, 'netstat: illegal option -- l\n'),
      '/usr/sbin/netstat -anv -p tcp': printed(fixture('netstat-anv-mojave.txt')),
      [SYSCTL]: printed(sysctlOut),
      [STATS]: printed(statsOut),
    });
    const raw = await createDarwinBackend({ runner, owners: false }).readAll();
    const sockets = raw.sources.find((s) => s.name === 'netstat-anv-tcp')!;
    expect(sockets.status).toBe('ok');
    expect(sockets.data!.equals(fixture('netstat-anv-mojave.txt'))).toBe(true);
    expect(runner.calls.some((c) => c.file === '/bin/ps')).toBe(false); // --no-owners: no process names
  });

  it('reports a command that cannot run, or does not answer in time, on its own source and keeps the others', async () => {
    const runner = fakeRunner({ [NETSTAT]: 'hang', [STATS]: printed(statsOut), [PS]: printed('  1 /sbin/launchd\n') });
    const raw = await createDarwinBackend({ runner, socketTimeoutMs: 50 }).readAll();
    const byName = Object.fromEntries(raw.sources.map((s) => [s.name, s]));
    expect(byName['netstat-anv-tcp']).toMatchObject({ status: 'timeout', error: '/usr/sbin/netstat -anvl -p tcp: no answer within 50 ms' });
    expect(byName['sysctl-net-inet']).toMatchObject({ status: 'failed', error: expect.stringContaining('/usr/sbin/sysctl net.inet.ip.portrange.first') });
    expect(byName['netstat-s-tcp']!.status).toBe('ok');
    const snap = parseSnapshot(raw);
    expect(snap.sockets).toBeNull();
    expect(snap.kernel.portRange).toBeNull();
    expect(snap.kernel.timeWaitSource).toMatch(/unreadable/);
  });

  it('reads the tick from netstat -s alone', async () => {
    const runner = fakeRunner({ [STATS]: printed(statsOut) });
    const tick = await createDarwinBackend({ runner }).readTick();
    expect(runner.calls).toEqual([{ file: '/usr/sbin/netstat', args: ['-s', '-p', 'tcp'] }]);
    expect(tick.counters).toMatchObject({ activeOpens: 4242, passiveOpens: 17, listenOverflows: 3, twRecycled: null, sockstat: null });
    expect(tick.sources).toEqual([expect.objectContaining({ name: 'netstat-s-tcp', status: 'ok' })]);
  });
});

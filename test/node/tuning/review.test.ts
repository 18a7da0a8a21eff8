import { describe, expect, it } from 'vitest';
import { displayArgv, lineDiff, reviewPlan } from '../../../electron/node/tuning/review.js';
import { planTuning } from '../../../electron/node/tuning/plan.js';
import { input } from './plan-fixtures.js';

describe('the review of a plan', () => {
  it('lists every setting, the exact command (argv) and the writes in the order the helper makes them', () => {
    const plan = planTuning(input({ listeningPorts: [62000] }));
    const r = reviewPlan(plan, { method: 'pkexec', prefix: ['/usr/bin/pkexec', '/usr/lib/portwatch/portwatch-helper'] }, '/tmp/portwatch-plan-abc/plan.json');
    expect(r.settings.map((s) => s.key)).toEqual(['net.ipv4.ip_local_reserved_ports', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_tw_reuse']);
    expect(r.commands).toHaveLength(1);
    expect(r.commands[0]!.argv).toEqual(['/usr/bin/pkexec', '/usr/lib/portwatch/portwatch-helper', 'apply', '/tmp/portwatch-plan-abc/plan.json']);
    expect(r.commands[0]!.why).toMatch(/polkit/);
    expect(r.writes).toEqual([
      { path: '/proc/sys/net/ipv4/ip_local_reserved_ports', data: '62000\n' },
      { path: '/proc/sys/net/ipv4/ip_local_port_range', data: '32768\t65535\n' },
      { path: '/proc/sys/net/ipv4/tcp_tw_reuse', data: '1\n' },
      { path: '/etc/sysctl.d/60-portwatch.conf', data: plan.persistence!.after },
    ]);
    expect(r.files[0]!.diff.filter((l) => l.startsWith('+'))).toHaveLength(5);
  });

  it('has no command when there is nothing for the helper (a container)', () => {
    const plan = planTuning(input({ environment: { container: true, kind: 'docker', evidence: ['/.dockerenv exists'] } }));
    expect(reviewPlan(plan, { method: 'direct', prefix: ['/usr/bin/node', '/h.js'] }, '/tmp/p.json')).toMatchObject({ commands: [], writes: [], files: [] });
  });

  it('shows argv quoted for reading', () => {
    expect(displayArgv(['/usr/bin/sudo', '--', '/usr/bin/node', "/home/o'brien/h.js", 'a b'])).toBe("/usr/bin/sudo -- /usr/bin/node '/home/o'\\''brien/h.js' 'a b'");
  });

  it('diffs lines', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nx\nc\nd\n')).toEqual([' a', '-b', '+x', ' c', '+d']);
    expect(lineDiff('', 'a\n')).toEqual(['+a']);
  });
});

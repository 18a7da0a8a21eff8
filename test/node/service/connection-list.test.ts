// getConnections' own rules, on tables built in memory: the service refuses bad queries naming the field,
// says when its source cannot list sockets, and pages a million-socket table by offset with filters.
import { describe, expect, it } from 'vitest';
import { RESULT_SCHEMAS } from '../../../electron/common/contract.js';
import { validate } from '../../../electron/common/schema.js';
import { TCP_STATE } from '../../../electron/common/tcp-state.js';
import { SocketTableBuilder } from '../../../electron/node/platform/socket-table.js';
import { ConnectionList, type SocketReading } from '../../../electron/node/service/connection-list.js';
import { MonitorService } from '../../../electron/node/service/monitor-service.js';
import { ManualSampler } from './make-sample.js';

/** n sockets: every 4th in TIME-WAIT (no owner), the rest ESTABLISHED owned by one of three processes. */
function reading(n: number): SocketReading {
  const b = new SocketTableBuilder(n);
  const local = b.intern('10.0.0.1');
  const remotes = ['10.0.0.9', '10.0.0.10', '2001:db8::1'].map((a) => b.intern(a));
  for (let i = 0; i < n; i++) {
    const tw = i % 4 === 0;
    b.pushRaw(i % 3 === 2 ? 6 : 4, tw ? TCP_STATE.TIME_WAIT : TCP_STATE.ESTABLISHED, local, 1024 + (i % 60000), remotes[i % 3]!, 443, 0, tw ? -1 : 100 + (i % 3), tw ? i % 60_000 : -1);
  }
  return { time: 1_700_000_000_000, netns: 'net:[4026531840]', sockets: b.build(), processNames: new Map([[100, 'api'], [101, 'worker'], [102, 'Zeta']]), timeWaitSec: 60 };
}

function serviceWith(r: SocketReading | null | 'none'): MonitorService {
  const sampler = new ManualSampler() as ManualSampler & { latestSockets?: () => SocketReading | null };
  if (r !== 'none') sampler.latestSockets = () => r;
  return new MonitorService({ sampler, version: 't', platform: 'linux', hostname: 'h', tuning: null });
}

describe('getConnections', () => {
  it('refuses a bad query and names the culprit field', async () => {
    const s = serviceWith(reading(10));
    const bad = [
      [{ offset: 0, limit: 0 }, 'request.params.limit'],
      [{ offset: 0, limit: 5001 }, 'request.params.limit'],
      [{ offset: -1, limit: 10 }, 'request.params.offset'],
      [{ offset: 0, limit: 10, filter: { state: 'ESTAB' } }, 'request.params.filter.state'],
      [{ offset: 0, limit: 10, filter: { port: 70000 } }, 'request.params.filter.port'],
      [{ offset: 0, limit: 10, sort: { key: 'size' } }, 'request.params.sort.key'],
      [{ offset: 0, limit: 10, filter: { text: 'x'.repeat(201) } }, 'request.params.filter.text'],
      [{ offset: 0, limit: 10, everything: true }, 'unknown field'],
    ] as const;
    for (const [params, culprit] of bad) {
      const r = await s.handle({ id: 1, method: 'getConnections', params });
      expect(r.ok, JSON.stringify(params)).toBe(false);
      if (!r.ok) expect(r.error.message).toContain(culprit);
    }
  });

  it('says why there is no list when the source reports counts only, and is empty before the first reading', async () => {
    const none = await serviceWith('none').handle({ id: 1, method: 'getConnections', params: { offset: 0, limit: 10 } });
    expect(none.ok && (none.result as { unavailable: string }).unavailable).toMatch(/cannot list sockets/);
    const before = await serviceWith(null).handle({ id: 1, method: 'getConnections', params: { offset: 0, limit: 10 } });
    expect(before.ok && before.result).toMatchObject({ time: null, total: 0, rows: [], unavailable: null });
  });

  it('pages a million sockets: the last page holds the last rows, filters and sorts hold over the whole table', async () => {
    const r = reading(1_000_000);
    const s = serviceWith(r);
    const last = await s.handle({ id: 1, method: 'getConnections', params: { offset: 999_990, limit: 50 } });
    expect(last.ok).toBe(true);
    if (!last.ok) return;
    expect(validate(RESULT_SCHEMAS.getConnections, last.result, 'result').ok).toBe(true);
    const page = last.result as { matched: number; rows: { localPort: number }[] };
    expect(page.matched).toBe(1_000_000);
    expect(page.rows.map((x) => x.localPort)).toEqual([...Array(10).keys()].map((k) => 1024 + ((999_990 + k) % 60000)));

    const list = new ConnectionList(r);
    const worker = list.page({ filter: { process: 'WORK' }, offset: 0, limit: 5 });
    expect(worker.matched).toBe([...Array(1_000_000).keys()].filter((i) => i % 4 !== 0 && i % 3 === 1).length);
    expect(worker.rows.every((x) => x.process === 'worker' && x.pid === 101)).toBe(true);
    expect(list.page({ filter: { pid: 101 }, offset: 0, limit: 1 }).matched).toBe(worker.matched);
    const v6 = list.page({ filter: { destination: '[2001:db8::1]:443', state: 'TIME-WAIT' }, offset: 0, limit: 3 });
    expect(v6.matched).toBe([...Array(1_000_000).keys()].filter((i) => i % 4 === 0 && i % 3 === 2).length);
    expect(v6.rows[0]).toMatchObject({ protocol: 'TCPv6', remoteAddress: '2001:db8::1', state: 'TIME-WAIT', pid: null, process: null, ageMs: 8, timeWaitLeftMs: 59_992 });
    // Addresses sort by value (10.0.0.9 before 10.0.0.10, IPv4 before IPv6), processes by name ignoring case.
    const byRemote = list.page({ sort: { key: 'remote' }, offset: 333_333, limit: 2 });
    expect(byRemote.rows.map((x) => x.remoteAddress)).toEqual(['10.0.0.9', '10.0.0.10']);
    const byProcess = list.page({ sort: { key: 'process', descending: true }, offset: 0, limit: 1 });
    expect(byProcess.rows[0]!.process).toBe('Zeta');
    const lastByProcess = list.page({ sort: { key: 'process', descending: true }, offset: 999_999, limit: 1 });
    expect(lastByProcess.rows[0]!.process).toBeNull(); // unknown owners last, in either direction
    expect(list.page({ filter: { text: 'time' }, offset: 0, limit: 1 }).matched).toBe(250_000);
    expect(list.page({ filter: { text: 'net:[4026531840]' }, offset: 0, limit: 1 }).matched).toBe(1_000_000);
    expect(list.page({ filter: { localAddress: '10.0.0.2' }, offset: 0, limit: 1 }).matched).toBe(0);
  }, 60_000);
});

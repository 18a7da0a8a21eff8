import { describe, expect, it } from 'vitest';
import { aggregateTable } from '../../../electron/node/engine/aggregate.js';
import { summarizeOwners } from '../../../electron/node/engine/processes.js';
import { linuxKernel, outbound, S, tableOf } from './engine-fixtures.js';

const kernel = linuxKernel();

function summarize(rows: Parameters<typeof tableOf>[0], owners: number[], top = 20, listed = [0]) {
  const t = tableOf(rows);
  const agg = aggregateTable(t, { range: kernel.portRange, kernel, recentWindowMs: 5000 });
  const names = new Map([[1, 'nginx'], [2, 'curl']]);
  return summarize0(t, agg, owners, names, top, listed);
}
function summarize0(t: ReturnType<typeof tableOf>, agg: ReturnType<typeof aggregateTable>, owners: number[], names: Map<number, string>, top: number, listed: number[]) {
  return summarizeOwners(t, agg, Int32Array.from(owners), (p) => names.get(p) ?? '', top, listed, (d) => `${t.addrs[agg.dest.remoteAddr[d]!]}:${agg.dest.remotePort[d]}`);
}

describe('summarizeOwners', () => {
  it('counts open sockets and attributed TIME-WAIT per process, busiest first', () => {
    const rows = [
      ...outbound(2, { remote: '10.0.0.2', port: 80 }),
      ...outbound(3, { remote: '10.0.0.2', port: 80, firstPort: 41000, state: S.TIME_WAIT }),
      ...outbound(4, { remote: '10.0.0.3', port: 443, firstPort: 42000 }),
    ];
    const s = summarize(rows, [1, 1, 1, 1, -1, 2, 2, 2, 2], 20, [0, 1]);
    expect(s.processes).toEqual([
      { pid: 1, name: 'nginx', sockets: 2, timeWait: 2, topDestinations: ['10.0.0.2:80'] },
      { pid: 2, name: 'curl', sockets: 4, timeWait: 0, topDestinations: ['10.0.0.3:443'] },
    ]);
    expect(s.destinationProcesses).toEqual([[{ pid: 1, name: 'nginx', sockets: 4 }], [{ pid: 2, name: 'curl', sockets: 4 }]]);
  });

  it('lists at most the requested number of processes and at most five destinations each', () => {
    const rows = Array.from({ length: 8 }, (_, d) => outbound(8 - d, { remote: `10.0.1.${d}`, port: 80, firstPort: 40000 + d * 100 })).flat();
    const owners = rows.map((_, i) => (i < 20 ? 1 : 2 + (i % 3)));
    const s = summarize(rows, owners, 2, []);
    expect(s.processes).toHaveLength(2);
    expect(s.processes[0]!.pid).toBe(1);
    expect(s.processes[0]!.topDestinations).toEqual(['10.0.1.0:80', '10.0.1.1:80', '10.0.1.2:80']); // its 20 sockets: 8 + 7 + 5
    expect(s.destinationProcesses).toEqual([]);
    const many = summarize(rows, rows.map(() => 9), 20, []);
    expect(many.processes[0]!.topDestinations).toHaveLength(5);
    expect(many.processes[0]!.topDestinations[0]).toBe('10.0.1.0:80');
  });
});

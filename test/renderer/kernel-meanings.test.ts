import { describe, expect, it } from 'vitest';
import { kernelRows } from '../../renderer/src/kernel-meanings.js';
import { makeSample } from '../node/service/make-sample.js';

describe('kernelRows', () => {
  const k = makeSample(1, 1).kernel;
  const rows = kernelRows(k, 'linux');
  const row = (key: string) => rows.find((r) => r.key === key)!;

  it('says the limit is per destination, not global', () => {
    expect(row('net.ipv4.ip_local_port_range').meaning).toContain('per destination');
  });
  it('never claims tcp_fin_timeout shortens TIME-WAIT', () => {
    expect(row('net.ipv4.tcp_fin_timeout').meaning).toMatch(/orphaned FIN-WAIT-2.*does NOT shorten TIME-WAIT/);
  });
  it('warns against lowering tcp_max_tw_buckets', () => {
    expect(row('net.ipv4.tcp_max_tw_buckets').meaning).toContain('does not help');
  });
  it('explains each tw_reuse value, 2 being loopback only', () => {
    expect(kernelRows({ ...k, twReuse: 2 }, 'linux').find((r) => r.key === 'net.ipv4.tcp_tw_reuse')!.meaning).toContain('Loopback only');
    expect(kernelRows({ ...k, twReuse: 1 }, 'linux').find((r) => r.key === 'net.ipv4.tcp_tw_reuse')!.meaning).toContain('tcp_timestamps');
  });
  it('tells timestamps off breaks tw_reuse', () => {
    expect(kernelRows({ ...k, timestamps: 0 }, 'linux').find((r) => r.key === 'net.ipv4.tcp_timestamps')!.meaning).toContain('cannot work');
  });
  it('leaves out what the platform does not have', () => {
    const mac = kernelRows({ ...k, twReuse: null, twReuseDelayMs: null, finTimeoutSec: null, maxTwBuckets: null, timestamps: null, unprivilegedPortStart: null, reservedPorts: null, timeWaitSec: 30, timeWaitSource: '2 × net.inet.tcp.msl' }, 'darwin');
    expect(mac.map((r) => r.label)).toEqual(['Ephemeral port range', 'TIME-WAIT duration']);
    expect(mac[1]!.value).toBe('30 s');
  });
  it('says the range is unknown, or not a range, rather than leaving it out', () => {
    const unread = kernelRows({ ...k, portRange: null }, 'linux')[0]!;
    expect(unread).toMatchObject({ key: 'net.ipv4.ip_local_port_range', value: 'unknown', meaning: 'It could not be read (see the sources), so the capacity is unknown.' });
    const invalid = kernelRows({ ...k, portRange: { low: 5000, high: 4000 } }, 'linux')[0]!;
    expect(invalid.value).toBe('5000–4000');
    expect(invalid.meaning).toBe('Not a valid range: the ephemeral port range 5000–4000 ends below its start, so the capacity is unknown.');
    expect(kernelRows({ ...k, portRange: null }, 'win32')[0]!.key).toBe('dynamic port range');
  });
  it('mentions no removed or harmful knob', () => {
    for (const r of rows) expect(r.meaning).not.toMatch(/tw_recycle/);
  });
});

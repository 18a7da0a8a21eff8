import { describe, expect, it } from 'vitest';
import { parseTracerLine } from '../../../../../electron/node/platform/linux/tracer/tracer-output.js';

describe('the tracer output parser', () => {
  it('reads the aggregated failures of one second, IPv4 and IPv6, with a comma in the command name', () => {
    const r = parseTracerLine('{"type": "map", "data": {"@fail0": {"24774,4026532310,99,8080,0,::1,python3": 3, "24774,4026532310,99,8080,0,127.0.0.1,a,b": 2, "9,1,98,9000,1,10.0.0.1,x": 1}}}');
    expect(r).toEqual({
      kind: 'failures',
      problems: [],
      failures: [
        { pid: 24774, netns: 4026532310, errno: 99, port: 8080, syscall: 'connect', address: '::1', comm: 'python3', count: 3 },
        { pid: 24774, netns: 4026532310, errno: 99, port: 8080, syscall: 'connect', address: '127.0.0.1', comm: 'a,b', count: 2 },
        { pid: 9, netns: 1, errno: 98, port: 9000, syscall: 'bind', address: '10.0.0.1', comm: 'x', count: 1 },
      ],
    });
    expect(parseTracerLine('{"type": "printf", "data": "heartbeat\\n"}')).toEqual({ kind: 'heartbeat' });
    expect(parseTracerLine('{"type": "attached_probes", "data": {"probes": 6}}')).toEqual({ kind: 'attached', probes: 6 });
  });

  it('reads the three maps the program counts in by turns, and the single map of older versions, one per line', () => {
    const key = '7,4026531840,99,80,0,10.0.0.9,curl';
    const one = { pid: 7, netns: 4026531840, errno: 99, port: 80, syscall: 'connect', address: '10.0.0.9', comm: 'curl' };
    for (const map of ['@fail0', '@fail1', '@fail2', '@fail']) {
      expect(parseTracerLine(`{"type": "map", "data": {"${map}": {"${key}": 12}}}`)).toEqual({ kind: 'failures', problems: [], failures: [{ ...one, count: 12 }] });
    }
    // an empty map prints as an empty object; other maps (bpftrace's own at exit) are not failures
    expect(parseTracerLine('{"type": "map", "data": {"@fail1": {}}}')).toEqual({ kind: 'failures', problems: [], failures: [] });
    expect(parseTracerLine('{"type": "map", "data": {"@gen": 1}}')).toEqual({ kind: 'other' });
    expect(parseTracerLine('{"type": "map", "data": {"@fail3": {}}}')).toEqual({ kind: 'other' });
    expect(parseTracerLine('{"type": "map", "data": {"@fail0": [1]}}')).toEqual({ kind: 'bad', problem: '@fail0 is not an object' });
  });

  it('names the culprit of a bad key and keeps the good ones', () => {
    const r = parseTracerLine('{"type": "map", "data": {"@fail": {"1,2,77,80,0,1.2.3.4,x": 1, "1,2,99,80,0,<script>,x": 1, "1,2,99,80,0,1.2.3.4,y": 0, "1,2,99,80,0,1.2.3.4,z": 4}}}');
    expect(r.kind).toBe('failures');
    if (r.kind !== 'failures') return;
    expect(r.failures.map((f) => f.comm)).toEqual(['z']);
    expect(r.problems).toEqual([expect.stringMatching(/errno 77 is not 98 or 99/), expect.stringMatching(/is not an address/), expect.stringMatching(/count must be a positive whole number/)]);
  });

  it('survives 10,000 fuzzed lines without throwing', () => {
    let x = 15;
    const rnd = (n: number): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    const pieces = ['{', '}', '"type"', ':', '"map"', '"data"', '"@fail"', '"@fail0"', '"@fail1"', ',', '"1,2,99,80,0,::1,n"', '3', '-1', '1e400', 'null', '[', ']', '"printf"', '"heartbeat\\n"', '\u0000', '\x1b[2J', '"', '\\', ' ', '"attached_probes"', '{"probes":', '99,99,99'];
    const good = '{"type": "map", "data": {"@fail1": {"1,2,99,80,0,127.0.0.1,curl": 5}}}';
    let kinds = 0;
    for (let i = 0; i < 10_000; i++) {
      let line = '';
      if (i % 3 === 0) {
        // a real line, cut or changed at one place
        const at = rnd(good.length);
        line = good.slice(0, at) + pieces[rnd(pieces.length)] + good.slice(at + rnd(3));
      } else {
        for (let k = rnd(12); k >= 0; k--) line += pieces[rnd(pieces.length)];
      }
      const r = parseTracerLine(line);
      expect(['failures', 'heartbeat', 'attached', 'other', 'bad']).toContain(r.kind);
      if (r.kind === 'failures') for (const f of r.failures) expect(f.errno === 98 || f.errno === 99).toBe(true);
      kinds++;
    }
    expect(kinds).toBe(10_000);
  });
});

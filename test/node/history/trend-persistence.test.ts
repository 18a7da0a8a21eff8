// Time to exhaustion survives a restart: the analyzer's per-destination trends are kept in the state
// directory with the roll-ups and put back at start, so a restarted monitor fits the same trend at once
// instead of warming up again (issue 10: "after a restart the charts, the trend and the episodes are back").
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { HistoryStore } from '../../../electron/node/history/history-store.js';
import { PersistentState } from '../../../electron/node/history/persistent-state.js';
import { TREND_FILE, TrendFile, type TrendKeeper } from '../../../electron/node/history/trend-file.js';
import { createBackend } from '../../../electron/node/platform/index.js';
import { Sampler } from '../../../electron/node/sampler/sampler.js';
import { MonitorService } from '../../../electron/node/service/monitor-service.js';
import { linuxKernel, outbound, snapshotOf, T0 } from '../engine/engine-fixtures.js';

const cost = { wallMs: 1, cpuMs: 1 };
const kernel = linuxKernel({ portRange: { low: 40000, high: 40099 } });
/** n connections toward 10.0.0.2:80 at T0 + k × 5 s. */
const toward = (n: number, k: number, a: Analyzer) => a.analyze(snapshotOf(outbound(n, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), { kernel, time: T0 + k * 5000 }), cost);
const keeper = (a: Analyzer): TrendKeeper => ({ save: () => a.saveTrends(), restore: (s, now) => a.restoreTrends(s, now) });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-trends-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A monitor's persistent state on `dir` whose clock says T0 + k × 5 s. */
const stateAt = (a: Analyzer, k: number, warn: (m: string) => void = () => undefined) =>
  new PersistentState({ dir, history: new HistoryStore(), trends: keeper(a), clock: () => T0 + k * 5000, warn });

describe('trends across a restart', () => {
  it('a destination growing before the restart has its time to exhaustion at the first sample after it', () => {
    const before = new Analyzer();
    const first = stateAt(before, 0);
    for (let k = 0; k < 8; k++) toward(10 + 5 * k, k, before); // 5 more every 5 s for 35 s
    first.close(); // saves, as the minute timer and a clean stop do

    const after = new Analyzer();
    const second = stateAt(after, 8);
    expect(second.restoredTrends).toBe(1);
    const s = toward(50, 8, after);
    // One more connection a second: 50 of 100 used, 50 left → about 50 s.
    expect(s.worst?.timeToExhaustionSec).toBeGreaterThan(30);
    expect(s.worst?.timeToExhaustionSec).toBeLessThan(70);
    second.close();
    // Without the kept trend, one sample cannot show growth.
    expect(toward(50, 8, new Analyzer()).worst?.timeToExhaustionSec).toBeNull();
  });

  it('points older than the trend window are not restored: a long outage starts the trend afresh', () => {
    const before = new Analyzer();
    for (let k = 0; k < 8; k++) toward(10 + 5 * k, k, before);
    new TrendFile(dir, () => undefined).save(keeper(before), T0);
    const after = new Analyzer();
    const longAfter = T0 + 24 * 3600_000;
    expect(new TrendFile(dir, () => undefined).restoreInto(keeper(after), longAfter)).toBe(0);
  });

  it('a corrupt trend file is set aside with a warning naming it, and trends start empty; no bytes at all throw', () => {
    writeFileSync(join(dir, TREND_FILE), '{"version":1,"trends":[{"dest":{"key":"k","localAddr":"a","remoteAddr":"b","remotePort":80},"lastListed":1,"points":[{"time":2,"blocking":1,"established":1},{"time":1,"blocking":1,"established":1}]}]}');
    const warnings: string[] = [];
    const s = stateAt(new Analyzer(), 0, (m) => warnings.push(m));
    expect(s.restoredTrends).toBe(0);
    expect(warnings.join('\n')).toMatch(/trends\.json was corrupt \(trends\[0\]\.points\[1\]: time does not ascend\); set aside as .*trends start empty/);
    expect(readdirSync(dir).some((f) => f.startsWith(TREND_FILE) && f !== TREND_FILE)).toBe(true);
    s.close();

    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.uint8Array().map((b) => Buffer.from(b).toString('latin1'))), (text) => {
        writeFileSync(join(dir, TREND_FILE), text);
        const a = new Analyzer();
        expect(() => new TrendFile(dir, () => undefined).restoreInto(keeper(a), T0)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it.runIf(process.platform === 'linux')('the monitor service keeps its real sampler\'s trends in the state directory', async () => {
    const sampler = new Sampler({ backend: createBackend('linux', { owners: false }) });
    const service = new MonitorService({ sampler, version: 'test', platform: 'linux', hostname: 'here', tuning: null, stateDir: dir });
    await sampler.sampleOnce();
    service.close(); // saves, as on a clean stop
    await sampler.stop();
    const doc = JSON.parse(readFileSync(join(dir, TREND_FILE), 'utf8')) as { version: number; trends: unknown[] };
    expect(doc.version).toBe(1);
    expect(Array.isArray(doc.trends)).toBe(true);
    expect(doc.trends).toEqual(sampler.trends.save());
  });
});

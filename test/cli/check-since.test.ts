import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration, runCheckSince } from '../../electron/cli/check-since.js';
import { EpisodeLog } from '../../electron/node/history/episode-log.js';

const NOW = 1_700_000_000_000;
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pw-since-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (s: string) => ((out.stdout += s), true) }, stderr: { write: (s: string) => ((out.stderr += s), true) } } as never };
}

describe('check --since', () => {
  it('parses durations and names a bad one', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('2h')).toBe(7200);
    expect(parseDuration('7d')).toBe(604_800);
    expect(parseDuration('30')).toBe(30);
    expect(parseDuration('-5m')).toMatch(/--since must be a duration.*"-5m"/);
    expect(parseDuration('1y')).toMatch(/"1y"/);
  });

  it('exits 3 and says so when no monitor has recorded anything', () => {
    const { out, io: i } = io();
    expect(runCheckSince('1h', false, i, NOW, dir)).toBe(3);
    expect(out.stderr).toMatch(/no monitor has recorded episodes/);
  });

  it('says which namespace (pod, container) an episode happened in, escaped for the terminal', () => {
    const log = new EpisodeLog(dir, () => {});
    log.load();
    const label = 'pod shop/checkout\u001b[2J';
    log.record({ id: 'pod', start: NOW - 60_000, end: null, lastSeen: NOW, peakSeverity: 'exhausted', peakTime: NOW - 50_000, peakUtilization: 1, worstDestination: '127.0.0.1:8080', cause: 'c', netns: { id: 'net:[4026532301]', label } });
    const a = io();
    expect(runCheckSince('10m', false, a.io, NOW, dir)).toBe(2);
    expect(a.out.stdout).toMatch(/EXHAUSTED since .*, still going on .* in pod shop\/checkout.*\(net:\[4026532301\]\)\n/);
    expect(a.out.stdout).not.toContain('\u001b');
  });

  it('reports the episodes within the window, newest first, and exits with the worst of them', () => {
    const log = new EpisodeLog(dir, () => {});
    log.load();
    const base = { lastSeen: NOW, peakUtilization: 1, worstDestination: '127.0.0.1:8080', cause: 'Exhausted 14 s ago toward 127.0.0.1:8080: 50 of 50 ports held at once.' };
    log.record({ ...base, id: 'old', start: NOW - 7200_000, end: NOW - 7000_000, peakSeverity: 'exhausted', peakTime: NOW - 7100_000 });
    log.record({ ...base, id: 'recent', start: NOW - 60_000, end: NOW - 30_000, peakSeverity: 'critical', peakTime: NOW - 50_000 });
    const a = io();
    expect(runCheckSince('10m', false, a.io, NOW, dir)).toBe(2);
    expect(a.out.stdout).toMatch(/^1 episode \(warning or worse\) in the last 10m/);
    expect(a.out.stdout).toMatch(/CRITICAL 2023-11-14 22:12:20 UTC \(60 s ago\) to .*\(30 s ago\)/);
    expect(a.out.stdout).toMatch(/Exhausted 14 s ago/);
    const b = io();
    expect(runCheckSince('5s', true, b.io, NOW, dir)).toBe(0);
    expect(JSON.parse(b.out.stdout)).toMatchObject({ episodes: [] });
    const c = io();
    expect(runCheckSince('3h', true, c.io, NOW, dir)).toBe(2);
    expect(JSON.parse(c.out.stdout).episodes.map((e: { id: string }) => e.id)).toEqual(['old', 'recent']);
  });
});

import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESULT_SCHEMAS } from '../../../electron/common/contract.js';
import type { Episode } from '../../../electron/common/episode.js';
import { validate } from '../../../electron/common/schema.js';
import { EpisodeTracker, RESUME_WITHIN_MS } from '../../../electron/node/engine/episodes.js';
import { EPISODES_FILE, EpisodeLog, MAX_EPISODES, parseEpisodes } from '../../../electron/node/history/episode-log.js';
import { HistoryStore } from '../../../electron/node/history/history-store.js';
import { ROLLUP_FILE } from '../../../electron/node/history/rollup-file.js';
import { stateDirectory } from '../../../electron/node/history/state-dir.js';
import { MonitorService } from '../../../electron/node/service/monitor-service.js';
import { ManualSampler, makeSample } from '../service/make-sample.js';

const T0 = 1_700_000_000_000;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function episode(k: number, over: Partial<Episode> = {}): Episode {
  return { id: `${T0 + k}-1`, start: T0 + k * 1000, end: T0 + k * 1000 + 500, lastSeen: T0 + k * 1000 + 500, peakSeverity: 'warning', peakTime: T0 + k * 1000, peakUtilization: 0.75, worstDestination: '10.0.0.2:80', cause: 'c', ...over };
}

describe('stateDirectory', () => {
  it('follows each platform and the explicit choice', () => {
    expect(stateDirectory('linux', {}, '/home/u')).toBe('/home/u/.local/state/portwatch');
    expect(stateDirectory('linux', { XDG_STATE_HOME: '/x/state' }, '/home/u')).toBe('/x/state/portwatch');
    expect(stateDirectory('linux', { XDG_STATE_HOME: 'relative' }, '/home/u')).toBe('/home/u/.local/state/portwatch');
    expect(stateDirectory('linux', { PORTWATCH_STATE_DIR: '/srv/pw' }, '/home/u')).toBe('/srv/pw');
    expect(stateDirectory('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/Portwatch');
    expect(stateDirectory('win32', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Local\\Portwatch');
  });
});

describe('the episode tracker', () => {
  it('starts at warning, keeps the peak, ends at ok; unknown changes nothing', () => {
    const t = new EpisodeTracker();
    expect(t.observe(makeSample(T0, 10, { severity: 'ok' }))).toBeNull();
    expect(t.observe(makeSample(T0 + 1000, 10, { severity: 'warning', severityReason: 'w' }))).toMatchObject({ start: T0 + 1000, end: null, peakSeverity: 'warning' });
    expect(t.observe(makeSample(T0 + 2000, 10, { severity: 'critical', severityReason: 'why' }))).toMatchObject({ peakSeverity: 'critical', cause: 'why', peakTime: T0 + 2000 });
    expect(t.observe(makeSample(T0 + 3000, 10, { severity: 'warning' }))).toBeNull();
    expect(t.observe(makeSample(T0 + 4000, 10, { severity: 'unknown' }))).toBeNull();
    expect(t.observe(makeSample(T0 + 5000, 10, { severity: 'ok' }))).toMatchObject({ end: T0 + 5000, peakSeverity: 'critical', lastSeen: T0 + 5000 });
    expect(t.open).toBeNull();
  });

  it('resumes an open episode after a short restart, closes it where it was last seen after a long one', () => {
    const open = episode(1, { end: null, lastSeen: T0 });
    expect(new EpisodeTracker(open, T0 + 1000).open).toMatchObject({ id: open.id });
    const late = new EpisodeTracker(open, T0 + RESUME_WITHIN_MS + 1);
    expect(late.open).toBeNull();
    expect(late.closedOnRestore).toMatchObject({ id: open.id, end: T0 });
  });
});

describe('the episode log', () => {
  it('keeps the last state of each episode across a reload, bounded to the newest MAX_EPISODES', () => {
    const log = new EpisodeLog(dir, () => {});
    log.load();
    for (let k = 0; k < MAX_EPISODES + 20; k++) log.record(episode(k));
    log.record(episode(MAX_EPISODES + 19, { peakSeverity: 'critical' }));
    const again = new EpisodeLog(dir, () => {});
    const list = again.load();
    expect(list).toHaveLength(MAX_EPISODES);
    expect(list[0]!.id).toBe(episode(20).id);
    expect(list[list.length - 1]!.peakSeverity).toBe('critical');
  });

  it('drops a torn last line (a crash mid-append) and appends cleanly after it', () => {
    writeFileSync(join(dir, EPISODES_FILE), JSON.stringify(episode(1)) + '\n' + JSON.stringify(episode(2)).slice(0, 30));
    const warnings: string[] = [];
    const log = new EpisodeLog(dir, (m) => warnings.push(m));
    expect(log.load().map((e) => e.id)).toEqual([episode(1).id]);
    log.record(episode(3));
    expect(parseEpisodes(readFileSync(join(dir, EPISODES_FILE), 'utf8'))).toMatchObject({ badLines: [], torn: false });
    expect(warnings).toEqual([]);
  });

  it('sets a corrupt file aside with a timestamp and keeps the good episodes; any bytes at all never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (junk) => {
        rmSync(dir, { recursive: true, force: true });
        const log0 = new EpisodeLog(dir, () => {});
        log0.load();
        log0.record(episode(1));
        appendFileSync(join(dir, EPISODES_FILE), junk.replace(/\n/g, ' ') + '\n' + JSON.stringify(episode(2)) + '\n');
        const warnings: string[] = [];
        const list = new EpisodeLog(dir, (m) => warnings.push(m)).load();
        expect(list.map((e) => e.id)).toContain(episode(2).id);
        const aside = readdirSync(dir).filter((f) => f.startsWith(`${EPISODES_FILE}.corrupt-`));
        if (junk.trim() === '') expect(aside).toEqual([]);
        else if (warnings.length > 0) expect(aside).toHaveLength(1);
      }),
      { numRuns: 40 },
    );
  });
});

describe('a monitor that restarts', () => {
  it('gets its episodes (the open one resumed) and its minute roll-ups back', () => {
    let now = T0;
    const first = new ManualSampler();
    const a = new MonitorService({ sampler: first, version: '0', platform: 'linux', hostname: 'h', clock: () => now, stateDir: dir });
    for (let k = 0; k < 180; k++) {
      now = T0 + k * 1000;
      first.emitSample(makeSample(now, 10 + k, { severity: k < 120 ? 'ok' : 'critical', severityReason: k < 120 ? 'fine' : 'filling' }));
    }
    a.close(); // saves
    expect(readdirSync(dir).sort()).toEqual([EPISODES_FILE, ROLLUP_FILE].sort());

    now += 10_000; // restarted ten seconds later, mid-episode
    const second = new ManualSampler();
    const history = new HistoryStore();
    const b = new MonitorService({ sampler: second, version: '0', platform: 'linux', hostname: 'h', clock: () => now, stateDir: dir, history });
    const frame = history.frame('sample', 3600_000, 60, now);
    expect(frame.time.length).toBeGreaterThanOrEqual(3); // three minutes of roll-ups came back
    return b.handle({ id: 1, method: 'getEpisodes', params: {} }).then((r) => {
      expect(r.ok).toBe(true);
      const list = (r as { result: Episode[] }).result;
      expect(validate(RESULT_SCHEMAS.getEpisodes, list, 'result').ok).toBe(true);
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ start: T0 + 120_000, end: null, peakSeverity: 'critical' });
      // the same episode goes on and ends after the restart
      second.emitSample(makeSample(now, 5, { severity: 'ok' }));
      b.close();
      const after = new EpisodeLog(dir, () => {}).load();
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ id: list[0]!.id, end: now });
    });
  });

  it('a corrupt roll-up file is set aside and history starts empty, never fatal', () => {
    writeFileSync(join(dir, ROLLUP_FILE), '{"version":1,"tracks":{"sample":{"track":"sample","fields":["a"],"bucketMs":60000,"windowMs":60000,"time":[1,2],"count":[1],"gaps":[0,0],"first":[[1,2]],"second":[[1,2]]}}}');
    const warnings: string[] = [];
    const orig = process.emitWarning;
    process.emitWarning = ((m: string) => warnings.push(String(m))) as typeof process.emitWarning;
    try {
      const s = new MonitorService({ sampler: new ManualSampler(), version: '0', platform: 'linux', hostname: 'h', stateDir: dir });
      s.close();
    } finally {
      process.emitWarning = orig;
    }
    expect(warnings.join('\n')).toMatch(/count does not line up/);
    expect(readdirSync(dir).some((f) => f.startsWith(`${ROLLUP_FILE}.corrupt-`))).toBe(true);
  });
});

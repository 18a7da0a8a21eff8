import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LastEpisode } from '../../electron/desktop/last-episode.js';
import { MonitorService } from '../../electron/node/service/monitor-service.js';
import { ManualSampler, makeSample } from '../node/service/make-sample.js';

const T0 = 1_700_000_000_000;
let dir: string;
const services: MonitorService[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-episodes4-tray-'));
});
afterEach(() => {
  for (const s of services.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A real monitor service keeping episodes in `dir`, its clock at `now()`. */
function monitor(now: () => number): { sampler: ManualSampler; service: MonitorService } {
  const sampler = new ManualSampler();
  const service = new MonitorService({ sampler, version: 't', platform: 'linux', hostname: 'h', stateDir: dir, clock: now });
  services.push(service);
  return { sampler, service };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('the last episode for the tray', () => {
  it('follows an episode of a real monitor from its start to its end', async () => {
    let t = T0;
    const { sampler, service } = monitor(() => t);
    let changes = 0;
    const last = new LastEpisode(service, () => changes++);
    await settle();
    expect(last.get()).toBeNull();
    sampler.emitSample(makeSample(t, 10, { severity: 'ok' }));
    expect(last.get()).toBeNull();
    t += 1000;
    sampler.emitSample(makeSample(t, 10, { severity: 'critical', severityReason: 'full' }));
    expect(last.get()).toMatchObject({ start: T0 + 1000, end: null, peakSeverity: 'critical', cause: 'full' });
    t += 1000;
    sampler.emitSample(makeSample(t, 10, { severity: 'ok' }));
    expect(last.get()).toMatchObject({ start: T0 + 1000, end: T0 + 2000 });
    expect(changes).toBe(2);
    last.dispose();
    t += 1000;
    sampler.emitSample(makeSample(t, 10, { severity: 'warning' }));
    expect(last.get()!.end).toBe(T0 + 2000); // no longer listening
  });

  it('shows the episode a previous run of the monitor recorded, after a restart', async () => {
    let t = T0;
    const first = monitor(() => t);
    first.sampler.emitSample(makeSample(t, 10, { severity: 'warning', severityReason: 'filling' }));
    t += 2000;
    first.sampler.emitSample(makeSample(t, 10, { severity: 'ok' }));
    first.service.close();
    const again = monitor(() => t);
    let changes = 0;
    const last = new LastEpisode(again.service, () => changes++);
    await settle();
    expect(last.get()).toMatchObject({ start: T0, end: T0 + 2000, peakSeverity: 'warning', cause: 'filling' });
    expect(changes).toBe(1);
  });

  it('stays empty with a monitor that keeps no episodes', async () => {
    const sampler = new ManualSampler();
    const service = new MonitorService({ sampler, version: 't', platform: 'linux', hostname: 'h' });
    services.push(service);
    const last = new LastEpisode(service, () => undefined);
    sampler.emitSample(makeSample(T0, 10, { severity: 'critical' }));
    await settle();
    expect(last.get()).toBeNull();
  });
});

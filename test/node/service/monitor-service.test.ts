import { describe, expect, it } from 'vitest';
import { MonitorService } from '../../../electron/node/service/monitor-service.js';
import { RESULT_SCHEMAS, type MonitorEvent } from '../../../electron/common/contract.js';
import { validate } from '../../../electron/common/schema.js';
import { ManualSampler, makeSample, makeTick } from './make-sample.js';

const T0 = 1_700_000_000_000;

function setup() {
  const sampler = new ManualSampler();
  let now = T0;
  const service = new MonitorService({ sampler, version: '0.1.0', platform: 'linux', hostname: 'h', clock: () => now });
  const events: MonitorEvent[] = [];
  service.subscribe((e) => events.push(e));
  return { sampler, service, events, advance: (ms: number) => (now += ms), now: () => now };
}

describe('MonitorService', () => {
  it('answers getSnapshot with the latest sample and tick, in the contract shape', async () => {
    const { sampler, service } = setup();
    sampler.emitSample(makeSample(T0, 12));
    sampler.emitTick(makeTick(T0 + 500));
    const r = await service.handle({ id: 9, method: 'getSnapshot', params: {} });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.id).toBe(9);
      expect(validate(RESULT_SCHEMAS.getSnapshot, r.result, 'result').ok).toBe(true);
      expect((r.result as { sample: { worst: { inUse: number } } }).sample.worst.inUse).toBe(12);
    }
  });

  it('refuses a bad request with the culprit named and keeps serving', async () => {
    const { sampler, service } = setup();
    const bad = await service.handle({ id: 3, method: 'getHistory', params: { windowSec: 300 } });
    expect(bad).toEqual({ id: 3, ok: false, error: { code: 'bad-request', message: 'request.params.buckets: required' } });
    sampler.emitSample(makeSample(T0, 1));
    const good = await service.handle({ id: 4, method: 'getInfo', params: {} });
    expect(good.ok).toBe(true);
  });

  it('pushes samples, ticks and the history points it stored', () => {
    const { sampler, events } = setup();
    sampler.emitSample(makeSample(T0, 3));
    sampler.emitTick(makeTick(T0));
    const kinds = events.map((e) => e.event);
    expect(kinds).toContain('sample');
    expect(kinds).toContain('tick');
    expect(events.filter((e) => e.event === 'history').map((e) => (e.event === 'history' ? e.data.track : ''))).toEqual(['sample', 'tick']);
  });

  it('puts a severity change and a new diagnosis on the timeline', async () => {
    const { sampler, service, events } = setup();
    sampler.emitSample(makeSample(T0, 10));
    sampler.emitSample(
      makeSample(T0 + 1000, 27_000, {
        severity: 'critical',
        severityReason: 'the worst destination uses 96% of usable ports',
        diagnoses: [{ id: 'time-wait-churn', severity: 'critical', title: 'TIME-WAIT churn', summary: 's', evidence: ['e'], recommendations: [] }],
      }),
    );
    const r = await service.handle({ id: 1, method: 'getEvents', params: {} });
    const titles = r.ok ? (r.result as { title: string }[]).map((e) => e.title) : [];
    expect(titles).toContain('Severity rose from ok to critical');
    expect(titles).toContain('Diagnosis: TIME-WAIT churn');
    expect(events.some((e) => e.event === 'timeline' && e.data.kind === 'severity')).toBe(true);
  });

  it('reports a degraded source and its recovery', () => {
    const { sampler, events } = setup();
    sampler.emitSample(makeSample(T0, 1));
    sampler.emitSample(makeSample(T0 + 1000, 1, { sources: [{ name: 'sockets', status: 'degraded', error: 'line 7: bad field', durationMs: 1 }] }));
    sampler.emitSample(makeSample(T0 + 2000, 1));
    const titles = events.flatMap((e) => (e.event === 'timeline' ? [e.data.title] : []));
    expect(titles).toEqual(['Source sockets degraded', 'Source sockets recovered']);
  });

  it('returns a bucketed history window bounded by the buckets asked for', async () => {
    const { sampler, service, advance } = setup();
    for (let i = 0; i < 1000; i++) {
      sampler.emitTick(makeTick(T0 + i * 1000, i));
      if (i % 5 === 0) sampler.emitSample(makeSample(T0 + i * 1000, i));
    }
    advance(1000 * 1000);
    const r = await service.handle({ id: 1, method: 'getHistory', params: { windowSec: 300, buckets: 60 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = validate(RESULT_SCHEMAS.getHistory, r.result, 'result');
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.tick.bucketMs).toBe(5000);
    expect(v.value.tick.time.length).toBeLessThanOrEqual(61);
    expect(v.value.sample.time.length).toBeGreaterThan(50);
  });

  it('keeps the timeline bounded', async () => {
    const sampler = new ManualSampler();
    const service = new MonitorService({ sampler, version: '0', platform: 'linux', hostname: 'h', maxEvents: 10 });
    for (let i = 0; i < 50; i++) sampler.emitSample(makeSample(T0 + i * 1000, 1, { severity: i % 2 ? 'warning' : 'ok' }));
    const r = await service.handle({ id: 1, method: 'getEvents', params: { limit: 1000 } });
    expect(r.ok && (r.result as unknown[]).length).toBe(10);
  });

  it('survives a subscriber that throws', () => {
    const { sampler, service, events } = setup();
    service.subscribe(() => {
      throw new Error('dead socket');
    });
    sampler.emitTick(makeTick(T0));
    expect(events.some((e) => e.event === 'tick')).toBe(true);
  });

  it('stops listening to the sampler on close', () => {
    const { sampler, service } = setup();
    expect(sampler.listenerCount).toBe(2);
    service.close();
    expect(sampler.listenerCount).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EVENT_SCHEMAS,
  RESULT_SCHEMAS,
  isContractError,
  ContractError,
  parseRequest,
  serverMessageSchema,
} from '../../electron/common/contract.js';
import { validate } from '../../electron/common/schema.js';
import { makeSample, makeTick } from '../node/service/make-sample.js';

describe('parseRequest', () => {
  it('accepts a well-formed request for every method', () => {
    expect(parseRequest({ id: 1, method: 'getInfo', params: {} }).ok).toBe(true);
    expect(parseRequest({ id: 2, method: 'getSnapshot', params: {} }).ok).toBe(true);
    expect(parseRequest({ id: 3, method: 'getHistory', params: { windowSec: 300, buckets: 300 } }).ok).toBe(true);
    expect(parseRequest({ id: 4, method: 'getEvents', params: {} }).ok).toBe(true);
    expect(parseRequest({ id: 5, method: 'getEvents', params: { limit: 10 } }).ok).toBe(true);
  });

  it('names the culprit field of bad parameters', () => {
    const r = parseRequest({ id: 7, method: 'getHistory', params: { windowSec: 5, buckets: 300 } });
    expect(r.ok).toBe(false);
    expect(r.id).toBe(7);
    if (!r.ok) expect(r.error).toMatch(/^request\.params\.windowSec: expected an integer in \[60, 604800\], got 5$/);
  });

  it('refuses unknown fields in parameters and names them', () => {
    const r = parseRequest({ id: 1, method: 'getSnapshot', params: { admin: true } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe('request.params: unknown field "admin"');
  });

  it('refuses an unknown method with its own code and lists the known ones', () => {
    const r = parseRequest({ id: 1, method: 'setPortRange', params: {} });
    expect(r.ok).toBe(false);
    expect(r.code).toBe('unknown-method');
    if (!r.ok) expect(r.error).toContain('getHistory');
  });

  it('refuses inherited names such as toString as methods', () => {
    expect(parseRequest({ id: 1, method: 'toString', params: {} }).code).toBe('unknown-method');
    expect(parseRequest({ id: 1, method: '__proto__', params: {} }).code).toBe('unknown-method');
  });

  it('names a missing or malformed envelope field', () => {
    const r1 = parseRequest({ method: 'getInfo', params: {} });
    if (!r1.ok) expect(r1.error).toBe('request.id: required');
    const r2 = parseRequest({ id: -1, method: 'getInfo', params: {} });
    if (!r2.ok) expect(r2.error).toMatch(/^request\.id: expected an integer/);
    const r3 = parseRequest([1, 2, 3]);
    if (!r3.ok) expect(r3.error).toBe('request: expected an object, got an array of 3');
    expect(r1.ok || r2.ok || r3.ok).toBe(false);
  });

  it('never throws and never accepts junk, whatever it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const r = parseRequest(v);
        if (r.ok) {
          // Only a real request may pass: re-check the parts that matter.
          expect(['getInfo', 'getSnapshot', 'getHistory', 'getEvents']).toContain(r.value.method);
        } else {
          expect(typeof r.error).toBe('string');
          expect(r.error.length).toBeLessThan(300);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps error messages short when given huge strings', () => {
    const r = parseRequest({ id: 1, method: 'x'.repeat(10_000), params: {} });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeLessThan(200);
  });
});

describe('result and event schemas', () => {
  it('accept what the engine produces', () => {
    const s = makeSample(1_700_000_000_000, 12);
    expect(validate(EVENT_SCHEMAS.sample, s, 'sample')).toEqual({ ok: true, value: s });
    expect(validate(EVENT_SCHEMAS.tick, makeTick(1), 'tick').ok).toBe(true);
    expect(validate(RESULT_SCHEMAS.getSnapshot, { sample: s, tick: null }, 'result').ok).toBe(true);
  });

  it('name the field that is wrong deep inside a sample', () => {
    const s = makeSample(1, 12);
    (s.destinations[0]!.processes[0] as { pid: unknown }).pid = 'x';
    const r = validate(EVENT_SCHEMAS.sample, s, 'sample');
    expect(r).toEqual({ ok: false, error: 'sample.worst.processes[0].pid: expected an integer, got "x"' });
  });

  it('refuse a history point whose values do not match its track', () => {
    const r = validate(EVENT_SCHEMAS.history, { track: 'tick', point: { time: 1, gap: false, values: [1] } }, 'history');
    expect(r).toEqual({ ok: false, error: 'history.point.values: expected 3 items, got 1' });
  });

  it('tell events from responses and check both', () => {
    expect(serverMessageSchema.check({ event: 'tick', data: makeTick(5) }, 'message')).toBeNull();
    expect(serverMessageSchema.check({ event: 'nope', data: 1 }, 'message')).toMatch(/^message\.event: expected one of/);
    expect(serverMessageSchema.check({ id: 1, ok: true, result: {} }, 'message')).toBeNull();
  });

  it('carry an episode event and refuse one with a bad field, naming it', () => {
    const e = { id: '1-1', start: 1, end: null, lastSeen: 2, peakSeverity: 'critical', peakTime: 2, peakUtilization: 1, worstDestination: '127.0.0.1:8080', cause: 'full' };
    expect(serverMessageSchema.check({ event: 'episode', data: e }, 'message')).toBeNull();
    expect(serverMessageSchema.check({ event: 'episode', data: { ...e, peakSeverity: 'ok' } }, 'message')).toMatch(/^message\.data\.peakSeverity: expected one of/);
  });
});

describe('ContractError', () => {
  it('is recognised after a trip through JSON', () => {
    const e = new ContractError('bad-request', 'request.id: required');
    const back: unknown = JSON.parse(JSON.stringify({ name: e.name, code: e.code, message: e.message }));
    expect(isContractError(e)).toBe(true);
    expect(isContractError(back)).toBe(true);
    expect(isContractError(new Error('x'))).toBe(false);
  });
});

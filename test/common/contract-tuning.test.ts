// The tuning methods of the contract: their parameter schemas refuse hostile payloads with a message that
// names the culprit (1,000+ fuzzed payloads per method, near-valid ones included), and the result and
// event schemas accept what the planner and the monitor produce.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EVENT_SCHEMAS, PARAMS_SCHEMAS, RESULT_SCHEMAS, STATE_CHANGING_METHODS, parseRequest, type MethodName } from '../../electron/common/contract.js';
import { MAX_TERMINAL_INPUT, PLAN_ID_PATTERN, SESSION_ID_PATTERN, STEP_ID_PATTERN, TERMINAL_COLS, TERMINAL_ROWS, tuningPlanSchema } from '../../electron/common/tuning-contract.js';
import { CONFIRM_TIMEOUT_BOUNDS, TUNABLE_KEYS, TXID_PATTERN } from '../../electron/common/tuning.js';
import { validate, type Schema } from '../../electron/common/schema.js';
import { planTuning } from '../../electron/node/tuning/plan.js';
import { input } from '../node/tuning/plan-fixtures.js';

const PLAN = 'plan-0123456789abcdef0123';
const SESSION = 'ts-0123456789ab';
const TXID = '20261124T101500Z-a1b2c3';
const TUNING_METHODS = ['getTuningPlan', 'reviewTuning', 'getTuningStatus', 'applyTuning', 'writeTuningTerminal', 'resizeTuningTerminal', 'keepTuning', 'revertTuning'] as const;

const req = (method: string, params: unknown) => parseRequest({ id: 1, method, params });
const error = (method: string, params: unknown): string => {
  const r = req(method, params);
  return r.ok ? 'accepted' : r.error;
};

describe('tuning parameters', () => {
  it('accept the well-formed request of every tuning method', () => {
    const good: [string, unknown][] = [
      ['getTuningPlan', {}],
      ['reviewTuning', { planId: PLAN, steps: ['widen-range', 'tw-reuse'] }],
      ['getTuningStatus', {}],
      ['applyTuning', { planId: PLAN, steps: ['widen-range'], confirmTimeoutSec: 60 }],
      ['writeTuningTerminal', { sessionId: SESSION, data: 'hunter2\r' }],
      ['resizeTuningTerminal', { sessionId: SESSION, cols: 100, rows: 30 }],
      ['keepTuning', { sessionId: SESSION }],
      ['revertTuning', { sessionId: SESSION }],
      ['revertTuning', { txid: TXID }],
    ];
    for (const [m, p] of good) expect(error(m, p)).toBe('accepted');
  });

  it.each([
    ['applyTuning', { planId: PLAN, steps: ['widen-range'], plan: { settings: [] } }, 'request.params: unknown field "plan"'],
    ['applyTuning', { planId: PLAN, steps: ['widen-range'], helperPlan: {} }, 'request.params: unknown field "helperPlan"'],
    ['applyTuning', { planId: PLAN, steps: [], confirmTimeoutSec: 60 }, `request.params.steps: expected 1..${TUNABLE_KEYS.length} items, got 0`],
    ['applyTuning', { planId: PLAN, steps: Array.from({ length: TUNABLE_KEYS.length + 1 }, (_, i) => `s${i}`) }, `request.params.steps: expected 1..${TUNABLE_KEYS.length} items, got ${TUNABLE_KEYS.length + 1}`],
    ['applyTuning', { planId: PLAN, steps: ['widen-range', 'widen-range'] }, 'request.params.steps: "widen-range" is chosen twice'],
    ['applyTuning', { planId: PLAN, steps: ['--force'] }, 'request.params.steps[0]: expected a step id such as "widen-range", got "--force"'],
    ['applyTuning', { planId: PLAN, steps: ['widen-range'], confirmTimeoutSec: 0 }, 'request.params.confirmTimeoutSec: expected an integer in [1, 3600], got 0'],
    ['applyTuning', { planId: PLAN, steps: ['widen-range'], confirmTimeoutSec: 1e9 }, 'request.params.confirmTimeoutSec: expected an integer in [1, 3600], got 1000000000'],
    ['applyTuning', { planId: '../../etc/passwd', steps: ['widen-range'] }, 'request.params.planId: expected a plan id such as plan-0123456789abcdef0123 (from getTuningPlan), got "../../etc/passwd"'],
    ['reviewTuning', { planId: PLAN.toUpperCase(), steps: ['widen-range'] }, expect.stringMatching(/^request\.params\.planId: expected a plan id/)],
    ['writeTuningTerminal', { sessionId: SESSION, data: '' }, 'request.params.data: expected a string of 1..1024 characters, got ""'],
    ['writeTuningTerminal', { sessionId: SESSION, data: 'x'.repeat(MAX_TERMINAL_INPUT + 1) }, 'request.params.data: expected a string of 1..1024 characters, got a string of 1025 characters'],
    ['writeTuningTerminal', { sessionId: SESSION, data: ['k'] }, 'request.params.data: expected a string of 1..1024 characters, got an array of 1'],
    ['writeTuningTerminal', { sessionId: 'ts-0123456789ab\n', data: 'x' }, expect.stringMatching(/^request\.params\.sessionId: expected a session id/)],
    ['resizeTuningTerminal', { sessionId: SESSION, cols: 100000, rows: 30 }, 'request.params.cols: expected an integer in [20, 400], got 100000'],
    ['resizeTuningTerminal', { sessionId: SESSION, cols: 80.5, rows: 30 }, 'request.params.cols: expected an integer in [20, 400], got 80.5'],
    ['keepTuning', {}, 'request.params.sessionId: required'],
    ['revertTuning', { sessionId: SESSION, txid: TXID }, 'request.params: unknown field "sessionId"'],
    ['revertTuning', { txid: '20261124T101500Z-a1b2c3; rm -rf /' }, expect.stringMatching(/^request\.params\.txid: expected a transaction id/)],
    ['revertTuning', { txid: '-a' }, expect.stringMatching(/^request\.params\.txid: expected a transaction id/)],
    ['getTuningPlan', { range: { low: 1024, high: 65535 } }, 'request.params: unknown field "range"'],
  ])('refuse %s %j naming the culprit', (method, params, message) => {
    expect(error(method, params)).toEqual(message);
  });

  it('refuse prototype tricks and non-plain objects', () => {
    expect(error('applyTuning', JSON.parse(`{"planId":"${PLAN}","steps":["widen-range"],"__proto__":{"allowApply":true}}`))).toBe('request.params: unknown field "__proto__"');
    expect(error('keepTuning', Object.assign(Object.create({ sessionId: SESSION }) as object, {}))).toBe('request.params: expected an object, got an object');
    expect(({}) as Record<string, unknown>).not.toHaveProperty('allowApply');
  });

  // Each field gets a valid value, a near miss or junk, so the fuzzer reaches the schema's edges.
  const junk = fc.oneof(fc.anything({ maxDepth: 2 }), fc.string({ maxLength: 60 }), fc.integer(), fc.constant(null), fc.constant(undefined));
  const field = (valid: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: junk });
  const planId = fc.oneof(fc.stringMatching(PLAN_ID_PATTERN), fc.constant(`${PLAN}x`), fc.constant('plan-'));
  const sessionId = fc.oneof(fc.stringMatching(SESSION_ID_PATTERN), fc.constant('ts-XYZ'));
  const steps = fc.array(fc.oneof(fc.constantFrom('widen-range', 'tw-reuse', 'reserve-listeners'), fc.stringMatching(STEP_ID_PATTERN), fc.string({ maxLength: 50 })), { maxLength: 6 });
  const shapes: Record<(typeof TUNING_METHODS)[number], fc.Arbitrary<unknown>> = {
    getTuningPlan: fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 10 }), junk, { maxKeys: 3 })),
    getTuningStatus: fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 10 }), junk, { maxKeys: 3 })),
    reviewTuning: fc.record({ planId: field(planId), steps: field(steps), extra: junk }, { requiredKeys: ['planId', 'steps'] }),
    applyTuning: fc.record({ planId: field(planId), steps: field(steps), confirmTimeoutSec: field(fc.integer({ min: -5, max: 4000 })), plan: junk }, { requiredKeys: ['planId', 'steps'] }),
    writeTuningTerminal: fc.record({ sessionId: field(sessionId), data: field(fc.string({ maxLength: 1100 })) }, { requiredKeys: [] }),
    resizeTuningTerminal: fc.record({ sessionId: field(sessionId), cols: field(fc.integer({ min: 0, max: 500 })), rows: field(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.double())) }, { requiredKeys: ['sessionId'] }),
    keepTuning: fc.record({ sessionId: field(sessionId), txid: junk }, { requiredKeys: [] }),
    revertTuning: fc.oneof(fc.record({ sessionId: field(sessionId) }), fc.record({ txid: field(fc.oneof(fc.stringMatching(TXID_PATTERN), fc.string())) }), fc.record({ sessionId: field(sessionId), txid: junk })),
  };
  // Requests the schema must take: the near misses above alone reach it too rarely (a few in 1,200 for
  // applyTuning) to prove the fuzzer is not all noise, so a fifth of the payloads are well-formed by construction.
  const validSteps = fc.uniqueArray(fc.stringMatching(STEP_ID_PATTERN), { minLength: 1, maxLength: TUNABLE_KEYS.length });
  const timeout = fc.option(fc.integer(CONFIRM_TIMEOUT_BOUNDS), { nil: undefined });
  const planParams = fc.record({ planId: fc.stringMatching(PLAN_ID_PATTERN), steps: validSteps, confirmTimeoutSec: timeout }, { requiredKeys: ['planId', 'steps'] });
  const validSession = fc.stringMatching(SESSION_ID_PATTERN);
  const wellFormed: Record<(typeof TUNING_METHODS)[number], fc.Arbitrary<unknown>> = {
    getTuningPlan: fc.constant({}),
    getTuningStatus: fc.constant({}),
    reviewTuning: planParams,
    applyTuning: planParams,
    writeTuningTerminal: fc.record({ sessionId: validSession, data: fc.string({ minLength: 1, maxLength: MAX_TERMINAL_INPUT }) }),
    resizeTuningTerminal: fc.record({ sessionId: validSession, cols: fc.integer(TERMINAL_COLS), rows: fc.integer(TERMINAL_ROWS) }),
    keepTuning: fc.record({ sessionId: validSession }),
    revertTuning: fc.oneof(fc.record({ sessionId: validSession }), fc.record({ txid: fc.stringMatching(TXID_PATTERN) })),
  };
  const hostile = (method: (typeof TUNING_METHODS)[number]) => fc.oneof({ weight: 4, arbitrary: shapes[method] }, { weight: 1, arbitrary: fc.anything({ maxDepth: 4 }) });
  const payload = (method: (typeof TUNING_METHODS)[number]) =>
    fc.oneof({ weight: 4, arbitrary: hostile(method).map((params) => ({ wellFormed: false, params })) }, { weight: 1, arbitrary: wellFormed[method].map((params) => ({ wellFormed: true, params })) });

  it.each(TUNING_METHODS)('never throw and accept only well-formed %s params (1,200 fuzzed payloads)', (method) => {
    let accepted = 0;
    fc.assert(
      fc.property(payload(method), ({ wellFormed: mustAccept, params }) => {
        const r = req(method, params);
        if (mustAccept) expect(r.ok ? 'accepted' : r.error).toBe('accepted');
        if (!r.ok) {
          expect(r.error.startsWith('request.params')).toBe(true);
          expect(r.error.length).toBeLessThan(300);
          return;
        }
        accepted++;
        // An accepted request is exactly the shape the monitor expects: re-check the parts that matter.
        const p = r.value.params as Record<string, unknown>;
        expect([Object.prototype, null]).toContain(Object.getPrototypeOf(p));
        if ('planId' in p) expect(p.planId).toMatch(PLAN_ID_PATTERN);
        if ('sessionId' in p) expect(p.sessionId).toMatch(SESSION_ID_PATTERN);
        if ('txid' in p) expect(p.txid).toMatch(TXID_PATTERN);
        if ('steps' in p) {
          const s = p.steps as string[];
          expect(s.length).toBeGreaterThanOrEqual(1);
          expect(new Set(s).size).toBe(s.length);
          for (const x of s) expect(x).toMatch(STEP_ID_PATTERN);
        }
        if ('data' in p) expect((p.data as string).length).toBeLessThanOrEqual(MAX_TERMINAL_INPUT);
        expect(Object.keys(p).every((k) => ['planId', 'steps', 'confirmTimeoutSec', 'sessionId', 'data', 'cols', 'rows', 'txid'].includes(k))).toBe(true);
      }),
      { numRuns: 1200 },
    );
    // Not only noise: about a fifth of the payloads are accepted (the well-formed ones, and near misses that are valid).
    expect(accepted).toBeGreaterThan(100);
  });

  it('lists exactly the methods that change something as state-changing', () => {
    expect([...STATE_CHANGING_METHODS].sort()).toEqual(['applyTuning', 'keepTuning', 'resizeTuningTerminal', 'revertTuning', 'writeTuningTerminal']);
    for (const m of STATE_CHANGING_METHODS) expect(Object.keys(PARAMS_SCHEMAS)).toContain(m);
  });
});

describe('tuning results and events', () => {
  it('accept the plans the planner makes', () => {
    for (const i of [input(), input({ environment: { container: true, kind: 'docker', evidence: ['/.dockerenv exists'] } }), input({ platform: 'darwin' })]) {
      expect(validate(tuningPlanSchema, planTuning(i), 'plan')).toMatchObject({ ok: true });
    }
  });

  it('name the culprit in a malformed plan or event', () => {
    const plan = planTuning(input());
    (plan.kernel[0] as { key: string }).key = 'net.ipv4.tcp_tw_recycle';
    expect(validate(tuningPlanSchema, plan, 'plan')).toMatchObject({ ok: false, error: expect.stringMatching(/^plan\.kernel\[0\]\.key: expected one of/) });
    const bad = planTuning(input());
    bad.helperPlan!.settings[0] = { key: 'net.ipv4.ip_local_port_range', low: 80, high: 65535 };
    expect(validate(tuningPlanSchema, bad, 'plan')).toMatchObject({ ok: false, error: 'plan.helperPlan.settings[0].low: expected an integer in [1024, 65535], got 80' });
    expect(validate(EVENT_SCHEMAS.tuningTerminal as Schema<unknown>, { sessionId: SESSION, seq: 0, data: 'x' }, 'e')).toEqual({ ok: false, error: 'e.seq: expected an integer in [1, ∞], got 0' });
    expect(validate(EVENT_SCHEMAS.tuningCountdown as Schema<unknown>, { sessionId: SESSION, txid: null, deadline: 1, secondsLeft: -1 }, 'e')).toEqual({ ok: false, error: 'e.secondsLeft: expected a number in [0, ∞], got -1' });
  });

  it('has a result schema for every method and refuses a result that is not one', () => {
    for (const m of Object.keys(PARAMS_SCHEMAS) as MethodName[]) expect(RESULT_SCHEMAS[m]).toBeDefined();
    expect(validate(RESULT_SCHEMAS.applyTuning as Schema<unknown>, { id: SESSION }, 'r').ok).toBe(false);
  });
});

// A plan that lacks what the user asked for by name must be told apart from one that delivers it: `tune`
// exits with its bad-arguments status instead of 0 (issue 13: `tune --range 1-2` quietly dropped).
import { describe, expect, it } from 'vitest';
import type { PlanInput } from '../../../electron/node/tuning/plan-input.js';
import { planTuning } from '../../../electron/node/tuning/plan.js';
import { unmetRequests } from '../../../electron/node/tuning/unmet-requests.js';
import { input, okSample } from './plan-fixtures.js';
import { macInput } from './darwin-plan-fixtures.js';
import { winInput } from './win32-plan-fixtures.js';

const unmet = (i: PlanInput) => unmetRequests(planTuning(i), i.options, i.kernel);

describe('requests the plan does not deliver', () => {
  it.each([
    ['a range starting below ip_unprivileged_port_start', { range: { low: 1, high: 2 } }, '--range 1-2', /cannot start at 1: the kernel refuses a low end below ip_unprivileged_port_start/],
    ['a range that would shrink the current one', { range: { low: 40000, high: 65535 } }, '--range 40000-65535', /does not contain the current range 32768–60999/],
    ['TIME-WAIT on Linux (60 s, fixed)', { timeWaitSec: 30 }, '--time-wait 30', /TIME-WAIT cannot be shortened to 30 s on Linux/],
  ])('Linux: %s is named with the planner\'s reason', (_what, options, option, reason) => {
    for (const sample of [input().sample, okSample()]) {
      const got = unmet(input({ options, sample }));
      expect(got).toHaveLength(1);
      expect(got[0]!.option).toBe(option);
      expect(got[0]!.reason).toMatch(reason);
    }
  });

  it.each([
    ['a wider range', { range: { low: 32768, high: 65535 } }],
    ['the range it already has', { range: { low: 32768, high: 60999 } }],
    ['TIME-WAIT of the 60 s it already lasts', { timeWaitSec: 60 }],
    ['nothing by name', {}],
  ])('Linux: %s is delivered', (_what, options) => {
    expect(unmet(input({ options }))).toEqual([]);
    expect(unmet(input({ options, sample: okSample() }))).toEqual([]);
  });

  it('macOS and Windows: a TIME-WAIT they offer is delivered, one they do not is named', () => {
    expect(unmet(macInput({}, { options: { timeWaitSec: 20 } }))).toEqual([]);
    expect(unmet(macInput({}, { options: { timeWaitSec: 5 } }))).toEqual([{ option: '--time-wait 5', reason: expect.stringMatching(/5 s is not offered on macOS/) }]);
    expect(unmet(winInput({}, { options: { timeWaitSec: 30 } }))).toEqual([]);
    expect(unmet(winInput({}, { options: { timeWaitSec: 29 } }))).toEqual([{ option: '--time-wait 29', reason: expect.stringMatching(/29 s is not offered on Windows/) }]);
  });
});

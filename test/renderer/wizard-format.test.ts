import { describe, expect, it } from 'vitest';
import type { WhatIf } from '../../electron/common/tuning.js';
import { sustainable, usable } from '../../renderer/src/wizard/wizard-format.js';

const whatIf = (heldByListeners: number | null, usablePorts: number | null): WhatIf => ({
  capacity: { range: usablePorts === null ? null : { low: 32768, high: 60999 }, rangeSize: usablePorts === null ? null : 28232, reserved: 0, heldByListeners, usable: usablePorts },
  holdSec: 60,
  sustainablePerDestinationPerSec: usablePorts === null ? null : usablePorts / 60,
});

describe('the what-if figures of the wizard', () => {
  it('are exact when the listeners were counted', () => {
    expect([usable(whatIf(2, 28230)), sustainable(whatIf(2, 28230))]).toEqual(['28,230', '471/s']);
  });
  it('are ceilings when no socket table was read (the listeners unknown)', () => {
    expect([usable(whatIf(null, 28232)), sustainable(whatIf(null, 28232))]).toEqual(['at most 28,232', 'at most 471/s']);
  });
  it('are unknown, not a ceiling, without a range', () => {
    expect([usable(whatIf(null, null)), sustainable(whatIf(null, null))]).toEqual(['—', '—']);
  });
});

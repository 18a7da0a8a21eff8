// Samples with a given severity and worst destination, for the desktop tests.
import type { Sample, SeverityOrUnknown } from '../../electron/common/model.js';
import { makeDestination, makeSample } from '../node/service/make-sample.js';

/** A sample whose worst destination is 10.0.3.7:5432 at `utilization` of 1000 ports, `ttlSec` from running out. */
export function severitySample(time: number, severity: SeverityOrUnknown, utilization: number, ttlSec: number | null = null): Sample {
  const capacity = 1000;
  const inUse = Math.round(utilization * capacity);
  const worst = makeDestination(inUse, capacity, { remoteAddress: '10.0.3.7', remotePort: 5432, timeToExhaustionSec: ttlSec, utilization });
  return makeSample(time, inUse, {
    severity,
    severityReason: `10.0.0.1 → 10.0.3.7:5432: ${inUse} of ${capacity} usable ports in use.`,
    worst,
    destinations: [worst],
    timeToExhaustionSec: ttlSec,
  });
}

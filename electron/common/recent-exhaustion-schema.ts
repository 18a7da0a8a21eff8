// Runtime schema of RecentExhaustion (recent-exhaustion.ts), for clients checking a Sample.
import type { RecentExhaustion } from './recent-exhaustion.js';
import { num, obj, oneOf, str, type Schema } from './schema.js';

const count = num({ min: 0, integer: true });
const nonNeg = num({ min: 0 });

/** Checks the recent-exhaustion part of a Sample. */
export const recentExhaustionSchema: Schema<RecentExhaustion> = obj<RecentExhaustion>(
  {
    key: str({ maxLength: 2000 }),
    localAddress: str({ maxLength: 200 }),
    remoteAddress: str({ maxLength: 200 }),
    remotePort: num({ min: 0, max: 65535, integer: true }),
    time: nonNeg,
    peak: count,
    capacity: count,
    exhausted: oneOf(true, false),
    closes: count,
    closeSpanSec: nonNeg,
    holdSec: nonNeg,
    reuse: oneOf(true, false),
    sustainablePerSec: nonNeg,
    basis: oneOf('timers', 'timers-approximate-delay'),
  },
  { strict: false },
);

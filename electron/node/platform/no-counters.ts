import type { KernelCounters } from '../../common/model.js';

/** Every kernel counter unknown: null, never zero (a platform fills in what it can read). */
export const NO_COUNTERS: Readonly<KernelCounters> = Object.freeze({
  activeOpens: null,
  passiveOpens: null,
  currEstab: null,
  timeWaitOverflow: null,
  twRecycled: null,
  listenOverflows: null,
  listenDrops: null,
  portAllocationFailures: null,
  sockstat: null,
});

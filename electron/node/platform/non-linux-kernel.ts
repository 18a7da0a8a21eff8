import type { KernelSettings } from '../../common/model.js';

/** Kernel settings of a platform without Linux's knobs: those are null (unknown), never zero. */
export function nonLinuxKernel(k: Pick<KernelSettings, 'portRange' | 'reservedPorts' | 'timeWaitSec' | 'timeWaitSource'>): KernelSettings {
  return {
    ...k,
    unprivilegedPortStart: null,
    twReuse: null,
    twReuseDelayMs: null,
    timestamps: null,
    finTimeoutSec: null,
    maxTwBuckets: null,
    conntrack: null,
  };
}

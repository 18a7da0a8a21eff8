// The adaptive cadence of full samples: a full sample that cost c ms of CPU is followed by a pause long
// enough that the monitor stays within its CPU budget (c / interval <= budget).

export interface ScheduleOptions {
  /** Share of one core the monitor may use, 0 < budget <= 1 (default 0.02 = 2 %). */
  cpuBudget: number;
  /** Never sample more often than this. */
  minIntervalMs: number;
  /** Never sample less often than this. */
  maxIntervalMs: number;
}

export const DEFAULT_SCHEDULE: ScheduleOptions = { cpuBudget: 0.02, minIntervalMs: 1000, maxIntervalMs: 60_000 };

/** Milliseconds from the start of one full sample to the start of the next. */
export function nextFullIntervalMs(cpuMs: number, tickCpuMsPerSec: number, opts: ScheduleOptions): number {
  // The 1 Hz tick spends part of the budget first; full samples get the rest (at least a tenth of it).
  const left = Math.max(opts.cpuBudget * 0.1, opts.cpuBudget - tickCpuMsPerSec / 1000);
  const wanted = cpuMs / left;
  return Math.min(opts.maxIntervalMs, Math.max(opts.minIntervalMs, Math.ceil(wanted)));
}

/** Validates a CPU budget given by a user; returns an error naming the value, or null. */
export function checkCpuBudget(budget: number): string | null {
  return Number.isFinite(budget) && budget > 0 && budget <= 1
    ? null
    : `CPU budget must be a share of one core between 0 and 1 (e.g. 0.02), got ${budget}`;
}

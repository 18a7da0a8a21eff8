// Named steps of every transaction. Tests stop the helper with SIGKILL at each one (test hook
// PORTWATCH_HELPER_KILL_AT, see helper-config.ts) and check that `recover` ends fully old or fully new.

/** Steps of `apply`, in order ("live-write-N" after the N-th key written). */
export const APPLY_STEPS = [
  'locked',
  'journal-written',
  'live-write-1',
  'live-write-2',
  'live-write-3',
  'read-back',
  'persist-temp-written',
  'persist-renamed',
  'awaiting-confirm',
] as const;

/** Steps of keeping a change (`confirm`, or "keep" typed to the countdown). */
export const CONFIRM_STEPS = ['confirm-locked', 'confirm-journaled'] as const;

/** Steps of putting old values back (`revert`, the countdown running out, a failed write, `recover`). */
export const REVERT_STEPS = [
  'revert-journaled',
  'revert-live-1',
  'revert-live-2',
  'revert-live-3',
  'revert-persist-temp-written',
  'revert-persist-renamed',
  'revert-persist-removed',
  'revert-done',
] as const;

/** Steps of undoing a kept change (`revert TXID` after keep): a transaction of its own, without countdown. */
export const UNDO_STEPS = [
  'journal-written',
  'live-write-1',
  'live-write-2',
  'live-write-3',
  'read-back',
  'persist-temp-written',
  'persist-renamed',
  'persist-removed',
] as const;

/** Every step name. */
export const ALL_STEPS: readonly string[] = [...new Set<string>([...APPLY_STEPS, ...CONFIRM_STEPS, ...REVERT_STEPS, ...UNDO_STEPS])];

/** A function called at each step; kills this process at the chosen one (tests only). */
export function makeCheckpoint(killAt: string | null): (step: string) => void {
  if (killAt === null) return () => {};
  return (step) => {
    if (step === killAt) process.kill(process.pid, 'SIGKILL');
  };
}

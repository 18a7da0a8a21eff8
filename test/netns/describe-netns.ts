// Vitest wrapper for suites that need network namespaces: they run when possible, are skipped with the
// reason otherwise, and fail with the reason when CI=true (a CI machine that cannot run them must not
// report green).
import { describe, it } from 'vitest';
import { canUseNamespaces, type NamespaceSupport } from './netns.js';

/** What to do with a namespace suite: run it, skip it, or fail it. */
export type NetnsSuiteMode = 'run' | 'skip' | 'fail';

/** The decision, as a pure function of the probe result and the CI variable. */
export function netnsSuiteMode(support: NamespaceSupport, ci: string | undefined): NetnsSuiteMode {
  if (support.ok) return 'run';
  return ci === 'true' ? 'fail' : 'skip';
}

/** describe() for suites that need network namespaces (see the file comment for skip/fail). */
export function describeNetns(name: string, fn: () => void): void {
  const support = canUseNamespaces();
  const reason = support.ok ? '' : support.reason;
  switch (netnsSuiteMode(support, process.env.CI)) {
    case 'run':
      describe(name, fn);
      return;
    case 'fail':
      describe(name, () => {
        it('can create network namespaces (required when CI=true)', () => {
          throw new Error(`network namespace tests cannot run: ${reason}`);
        });
      });
      return;
    case 'skip':
      // The reason goes both into the suite name (verbose reporters) and to stderr (the default one).
      console.warn(`skipping "${name}": ${reason}`);
      describe.skip(`${name} [skipped: ${reason}]`, fn);
      return;
  }
}

// The oracle's judgement: what Portwatch said was left toward a destination against what the kernel
// then allowed (connects until one fails). Exact where the pattern leaves nothing to infer; within the
// stated bounds where Portwatch said it inferred.
import { expect } from 'vitest';
import type { PortBasis, Sample } from '../../electron/common/model.js';
import type { Namespace } from '../netns/netns.js';
import { describeSample } from '../netns/sample-queries.js';
import { connectsUntilFailure } from './portctl.js';

/** The range every oracle scenario uses: 50 ports. */
export const ORACLE_RANGE = { low: 40000, high: 40049 } as const;
export const ORACLE_RANGE_SIZE = ORACLE_RANGE.high - ORACLE_RANGE.low + 1;

/** What Portwatch said about one destination (undefined: a destination it has not seen, i.e. a new one). */
export function basisToward(sample: Sample, remote: string, port: number, local?: string): PortBasis {
  const d = sample.destinations.find((x) => x.remoteAddress === remote && x.remotePort === port && (local === undefined || x.localAddress === local));
  const b = d ? d.basis : sample.newDestination;
  if (!b) throw new Error(`Portwatch gave no basis toward ${remote}:${port}: ${describeSample(sample)}`);
  return b;
}

/** How the comparison is made. */
export type Expectation = 'exact' | 'within-bounds';

/**
 * Asks the kernel how many more connects it allows toward remote:port (from `src`) and compares with
 * what Portwatch said. 'exact': the best figure is what the kernel does and the bounds hold it;
 * 'within-bounds': the kernel stays between the stated low and high (an inferred figure).
 */
export async function kernelAgrees(ns: Namespace, sample: Sample, to: { remote: string; port: number; src?: string }, how: Expectation): Promise<{ said: PortBasis; kernel: number }> {
  const said = basisToward(sample, to.remote, to.port, to.src);
  const probe = await connectsUntilFailure(ns, `${to.remote}:${to.port}`, to.src);
  const why = `toward ${to.src ?? ''}→${to.remote}:${to.port} Portwatch said ${JSON.stringify(said)}; the kernel allowed ${probe.ok} then ${probe.code}. ${describeSample(sample)}`;
  expect(probe.code, why).toBe('EADDRNOTAVAIL');
  expect(probe.ok, why).toBeGreaterThanOrEqual(said.low);
  expect(probe.ok, why).toBeLessThanOrEqual(said.high);
  if (how === 'exact') expect(probe.ok, why).toBe(said.left);
  return { said, kernel: probe.ok };
}

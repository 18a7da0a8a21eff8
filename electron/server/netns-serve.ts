// serve's host-wide half: a HostSampler beside the main sampler, read every HOST_INTERVAL_MS, whose
// latest HostSample feeds the per-namespace /metrics families.
import { HOST_SAMPLE_INTERVAL_MS, HostSampler } from '../node/sampler/host-sampler.js';
import type { MetricsRegistry } from './metrics-registry.js';
import { addNamespaceFamilies } from './netns-metrics.js';

/** Every namespace is read this often. */
export const HOST_INTERVAL_MS = HOST_SAMPLE_INTERVAL_MS;

/** Starts sampling every namespace and adds the families; stop() ends it. */
export function startHostWideMetrics<C>(registry: MetricsRegistry<C>, sampler = new HostSampler()): { sampler: HostSampler; stop(): Promise<void> } {
  addNamespaceFamilies(registry, () => sampler.latest());
  sampler.start(HOST_INTERVAL_MS);
  return { sampler, stop: () => sampler.stop() };
}

// Small readers over a Portwatch Sample for scenario assertions (no analysis: they only look things up).
import type { DestinationUsage, Diagnosis, Sample } from '../../electron/common/model.js';

/** The listed destination toward remoteAddress:remotePort (undefined when not listed). */
export function destinationTo(sample: Sample, remoteAddress: string, remotePort: number): DestinationUsage | undefined {
  return sample.destinations.find((d) => d.remoteAddress === remoteAddress && d.remotePort === remotePort);
}

/** The diagnosis with this id (undefined when absent). */
export function diagnosis(sample: Sample, id: string): Diagnosis | undefined {
  return sample.diagnoses.find((d) => d.id === id);
}

/** Everything a diagnosis says, as one text (title, summary, evidence, recommendations). */
export function diagnosisText(d: Diagnosis): string {
  return [d.title, d.summary, ...d.evidence, ...d.recommendations.map((r) => r.text)].join('\n');
}

/** A compact description of a sample for assertion messages. */
export function describeSample(sample: Sample): string {
  const dests = sample.destinations
    .slice(0, 5)
    .map((d) => `${d.localAddress}→${d.remoteAddress}:${d.remotePort} inUse ${d.inUse} blocking ${d.blocking}/${d.capacity} rate ${d.newPerSec}`)
    .join('; ');
  return `severity ${sample.severity} (${sample.severityReason}); capacity ${JSON.stringify(sample.capacity)}; global ${JSON.stringify(sample.global)}; destinations: ${dests}; diagnoses: ${sample.diagnoses.map((d) => d.id).join(', ')}`;
}

/** Resolves after ms milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

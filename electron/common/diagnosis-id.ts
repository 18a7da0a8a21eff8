// The closed set of diagnoses the engine can make. Advice and plans key on these ids (tuning/plan-advice.ts,
// tuning/plan.ts), the dashboard and /metrics show them: a union type, so an id that is misspelt or that a
// table forgets does not compile. Adding a diagnosis: add its id here, then the compiler lists every table
// that must say what it means (docs/architecture.md "Adding a diagnosis").

/** Every diagnosis id, in no particular order. */
export const DIAGNOSIS_IDS = [
  'time-wait-churn',
  'close-wait-leak',
  'bind-before-connect',
  'established-growth',
  'narrow-range',
  'reserved-or-listeners-eat-range',
  'kernel-counters',
  'port-allocation-failures',
  'port-allocation-failures-elsewhere',
  'conntrack-near-full',
] as const;

/** The stable id of a diagnosis. */
export type DiagnosisId = (typeof DIAGNOSIS_IDS)[number];

const KNOWN: ReadonlySet<string> = new Set(DIAGNOSIS_IDS);

/** True when a string is one of the diagnosis ids. */
export function isDiagnosisId(value: unknown): value is DiagnosisId {
  return typeof value === 'string' && KNOWN.has(value);
}

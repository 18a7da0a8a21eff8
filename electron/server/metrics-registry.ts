// A small registry of metric families rendered in the Prometheus text exposition format (0.0.4). Families
// are declared once with their type, help and label names; the registry refuses names that break the
// conventions (counters end in _total, nothing else does; no reserved histogram suffixes) so a new family
// cannot slip a naming error past `promtool check metrics`, and renders only series whose labels are exactly
// the declared ones, so every family keeps one stable label set.

/** The metric types this exporter uses. */
export type MetricType = 'gauge' | 'counter';

/** One series of a family: its label values (exactly the family's label names) and value. */
export interface MetricSeries {
  labels?: Readonly<Record<string, string>>;
  /** null/undefined/non-finite: unknown, so the series is left out rather than exported as a fake 0. */
  value: number | null | undefined;
}

/** A metric family: its name, type, help, label names, and how to collect its series from a context. */
export interface MetricFamily<C> {
  name: string;
  type: MetricType;
  help: string;
  labelNames?: readonly string[];
  collect(ctx: C): Iterable<MetricSeries>;
}

/** A family declared against the conventions (thrown when it is added, so at start-up, never at scrape time). */
export class MetricDefinitionError extends Error {
  constructor(readonly family: string, reason: string) {
    super(`metric family ${JSON.stringify(family)}: ${reason}`);
    this.name = 'MetricDefinitionError';
  }
}

/** True for a MetricDefinitionError. */
export function isMetricDefinitionError(e: unknown): e is MetricDefinitionError {
  return e instanceof MetricDefinitionError;
}

const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED_SUFFIXES = ['_count', '_sum', '_bucket', '_created', '_info_total'];
// Prometheus base units: durations in seconds, sizes in bytes (promlint flags the rest).
const NON_BASE_UNITS = /_(milliseconds|microseconds|nanoseconds|minutes|hours|days|ms|us|ns|kilobytes|megabytes|gigabytes|kb|mb|gb|percent)(_|$)/;

/** Escapes a label value for the text format (backslash, newline, double quote). */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
}

/** Checks a family against the naming conventions; throws MetricDefinitionError naming the problem. */
export function checkFamily(f: Pick<MetricFamily<unknown>, 'name' | 'type' | 'help' | 'labelNames'>): void {
  if (!METRIC_NAME.test(f.name)) throw new MetricDefinitionError(f.name, 'not a valid metric name');
  if (f.type === 'counter' && !f.name.endsWith('_total')) throw new MetricDefinitionError(f.name, 'a counter must end in _total');
  if (f.type !== 'counter' && f.name.endsWith('_total')) throw new MetricDefinitionError(f.name, 'only counters end in _total');
  for (const s of RESERVED_SUFFIXES) if (f.name.endsWith(s)) throw new MetricDefinitionError(f.name, `the suffix ${s} is reserved`);
  if (NON_BASE_UNITS.test(f.name)) throw new MetricDefinitionError(f.name, 'use base units (seconds, bytes, ratios 0..1)');
  if (f.help.trim() === '') throw new MetricDefinitionError(f.name, 'help text is empty');
  const seen = new Set<string>();
  for (const l of f.labelNames ?? []) {
    if (!LABEL_NAME.test(l) || l.startsWith('__')) throw new MetricDefinitionError(f.name, `invalid label name ${JSON.stringify(l)}`);
    if (seen.has(l)) throw new MetricDefinitionError(f.name, `label ${l} declared twice`);
    seen.add(l);
  }
}

/** A set of metric families rendered together; other modules add their own families with add(). */
export class MetricsRegistry<C> {
  private readonly families: MetricFamily<C>[] = [];

  /** Adds a family; throws MetricDefinitionError when it breaks a convention or its name is taken. */
  add(family: MetricFamily<C>): this {
    checkFamily(family);
    if (this.families.some((f) => f.name === family.name)) throw new MetricDefinitionError(family.name, 'already registered');
    this.families.push(family);
    return this;
  }

  /** The registered family names, in render order. */
  names(): string[] {
    return this.families.map((f) => f.name);
  }

  /**
   * Renders every family with at least one known series. A series whose labels are not exactly the declared
   * ones is left out (a stable label set per family), as is a family whose collector throws: one faulty
   * family must not take the whole scrape down.
   */
  render(ctx: C): string {
    const out: string[] = [];
    for (const f of this.families) {
      const names = f.labelNames ?? [];
      const lines: string[] = [];
      const seen = new Set<string>();
      try {
        for (const s of f.collect(ctx)) {
          if (s.value === null || s.value === undefined || !Number.isFinite(s.value)) continue;
          const labels = s.labels ?? {};
          const keys = Object.keys(labels);
          if (keys.length !== names.length || !names.every((n) => typeof labels[n] === 'string')) continue;
          const l = names.length === 0 ? '' : `{${names.map((n) => `${n}="${escapeLabelValue(labels[n]!)}"`).join(',')}}`;
          if (seen.has(l)) continue; // a duplicate series would make the scrape invalid
          seen.add(l);
          lines.push(`${f.name}${l} ${formatValue(s.value)}`);
        }
      } catch {
        continue;
      }
      if (lines.length === 0) continue;
      out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`, ...lines);
    }
    return out.length === 0 ? '' : out.join('\n') + '\n';
  }
}

// How the engine judges a sample: thresholds, hysteresis, prediction horizons and memory bounds.
// Pure (shared with the UI): parsing never throws and falls back to the default field by field.

/** Settings of the analysis engine. */
export interface AnalysisConfig {
  /** Utilization (0..1) at which a destination or the global pressure becomes warning / critical. */
  thresholds: { warning: number; critical: number };
  /** Going down a level needs utilization below the threshold minus this. */
  hysteresis: number;
  /** Consecutive samples below (threshold - hysteresis) before the severity is lowered. */
  recoverSamples: number;
  /** Time to exhaustion below this raises the severity to at least warning, seconds. */
  ttlWarningSec: number;
  /** Time to exhaustion below this raises the severity to at least critical, seconds. */
  ttlCriticalSec: number;
  /** How many destinations a sample lists. */
  topDestinations: number;
  /** How many processes a sample lists. */
  topProcesses: number;
  /** Most outbound 4-tuples whose owner is remembered (to attribute TIME-WAIT). */
  ownerMemory: number;
  /** How far back trends (time to exhaustion, growth) look, seconds. */
  trendWindowSec: number;
}

/** The defaults: warning at 70 %, critical at 90 %, 5-minute trend window. */
export const DEFAULT_ANALYSIS_CONFIG: AnalysisConfig = Object.freeze({
  thresholds: Object.freeze({ warning: 0.7, critical: 0.9 }),
  hysteresis: 0.05,
  recoverSamples: 3,
  ttlWarningSec: 1800,
  ttlCriticalSec: 300,
  topDestinations: 20,
  topProcesses: 20,
  ownerMemory: 262_144,
  trendWindowSec: 300,
}) as AnalysisConfig;

interface NumberRule {
  min: number;
  max: number;
  /** Whether min itself is allowed. */
  minInclusive: boolean;
  integer: boolean;
}

const FRACTION: NumberRule = { min: 0, max: 1, minInclusive: false, integer: false };
const RULES: Record<Exclude<keyof AnalysisConfig, 'thresholds'>, NumberRule> = {
  hysteresis: { min: 0, max: 0.5, minInclusive: true, integer: false },
  recoverSamples: { min: 1, max: 1000, minInclusive: true, integer: true },
  ttlWarningSec: { min: 0, max: 7 * 86_400, minInclusive: false, integer: false },
  ttlCriticalSec: { min: 0, max: 7 * 86_400, minInclusive: false, integer: false },
  topDestinations: { min: 1, max: 1000, minInclusive: true, integer: true },
  topProcesses: { min: 1, max: 1000, minInclusive: true, integer: true },
  ownerMemory: { min: 2, max: 16_777_216, minInclusive: true, integer: true },
  trendWindowSec: { min: 10, max: 86_400, minInclusive: true, integer: false },
};

/** Parses a (partial) configuration; never throws. Missing fields take the default; bad ones too, with an error naming the field and value. */
export function parseAnalysisConfig(input: unknown): { config: AnalysisConfig; errors: string[] } {
  const errors: string[] = [];
  const d = DEFAULT_ANALYSIS_CONFIG;
  const config: AnalysisConfig = { ...d, thresholds: { ...d.thresholds } };
  if (input === undefined) return { config, errors };
  if (!isPlainObject(input)) {
    errors.push(`config: expected an object, got ${describe(input)}`);
    return { config, errors };
  }

  for (const key of safeKeys(input)) {
    if (key !== 'thresholds' && !(key in RULES)) errors.push(`${key}: unknown setting (ignored)`);
  }

  for (const key of Object.keys(RULES) as (keyof typeof RULES)[]) {
    const v = read(input, key, errors);
    if (v === undefined) continue;
    const problem = checkNumber(v, RULES[key]);
    if (problem) errors.push(`${key}: ${problem}, got ${describe(v)}`);
    else config[key] = v as number;
  }

  const t = read(input, 'thresholds', errors);
  if (t !== undefined) {
    if (!isPlainObject(t)) errors.push(`thresholds: expected an object, got ${describe(t)}`);
    else {
      for (const key of safeKeys(t)) {
        if (key !== 'warning' && key !== 'critical') errors.push(`thresholds.${key}: unknown setting (ignored)`);
      }
      for (const key of ['warning', 'critical'] as const) {
        const v = read(t, key, errors, 'thresholds.');
        if (v === undefined) continue;
        const problem = checkNumber(v, FRACTION);
        if (problem) errors.push(`thresholds.${key}: ${problem}, got ${describe(v)}`);
        else config.thresholds[key] = v as number;
      }
    }
  }

  // Relations between fields: fall back to both defaults rather than guess which one was meant.
  if (config.thresholds.warning >= config.thresholds.critical) {
    errors.push(`thresholds.warning (${config.thresholds.warning}) must be below thresholds.critical (${config.thresholds.critical}); using ${d.thresholds.warning} and ${d.thresholds.critical}`);
    config.thresholds = { ...d.thresholds };
  }
  if (config.hysteresis >= config.thresholds.warning) {
    errors.push(`hysteresis (${config.hysteresis}) must be below thresholds.warning (${config.thresholds.warning}); using ${d.hysteresis}`);
    config.hysteresis = Math.min(d.hysteresis, config.thresholds.warning / 2);
  }
  if (config.ttlCriticalSec >= config.ttlWarningSec) {
    errors.push(`ttlCriticalSec (${config.ttlCriticalSec}) must be below ttlWarningSec (${config.ttlWarningSec}); using ${d.ttlCriticalSec} and ${d.ttlWarningSec}`);
    config.ttlCriticalSec = d.ttlCriticalSec;
    config.ttlWarningSec = d.ttlWarningSec;
  }
  return { config, errors };
}

function checkNumber(v: unknown, rule: NumberRule): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'expected a finite number';
  if (rule.integer && !Number.isInteger(v)) return 'expected an integer';
  const lowOk = rule.minInclusive ? v >= rule.min : v > rule.min;
  if (!lowOk || v > rule.max) return `expected a number in ${rule.minInclusive ? '[' : '('}${rule.min}, ${rule.max}]`;
  return null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// A hostile object (a Proxy, a throwing getter) must not make parsing throw.
function read(obj: Record<string, unknown>, key: string, errors: string[], prefix = ''): unknown {
  try {
    return obj[key];
  } catch {
    errors.push(`${prefix}${key}: could not be read`);
    return undefined;
  }
}

function safeKeys(obj: object): string[] {
  try {
    return Object.keys(obj);
  } catch {
    return [];
  }
}

/** A short, safe rendering of any value for an error message. */
function describe(v: unknown): string {
  try {
    if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === null || v === undefined) return String(v);
    if (Array.isArray(v)) return `an array of ${v.length}`;
    return `a ${typeof v}`;
  } catch {
    return 'an unreadable value';
  }
}

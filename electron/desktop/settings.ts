// The desktop app's settings: what they are, their defaults, and a parser that never throws. A bad field
// falls back to its default with a problem naming the field and the value; the thresholds reuse the
// engine's own parser (parseAnalysisConfig), so the desktop and the CLI judge a sample the same way.
import { parseAnalysisConfig, type AnalysisConfig } from '../common/config.js';
import { checkCpuBudget, DEFAULT_SCHEDULE } from '../node/sampler/schedule.js';
import { parseHostList } from './host-list.js';
import { parseClock } from './quiet-hours.js';

/** When and how often the app notifies. */
export interface NotificationSettings {
  enabled: boolean;
  /** At least this long between two notifications, seconds (changes in between are folded into the next one). */
  minIntervalSec: number;
  /** A daily window of local time without notifications ("HH:MM"; may cross midnight). */
  quietHours: { enabled: boolean; start: string; end: string };
  /** Epoch ms until which notifications are muted, or null. */
  mutedUntil: number | null;
}

/** Everything the desktop app persists. */
export interface DesktopSettings {
  schema: 1;
  /** Share of one core the monitor may spend sampling. */
  sampling: { cpuBudget: number };
  /** Thresholds, hysteresis and horizons of the analysis (see electron/common/config.ts). */
  analysis: AnalysisConfig;
  notifications: NotificationSettings;
  launchAtLogin: boolean;
  /** Remote hosts watched over SSH, in the order the user gave them ("user@host:port"; see host-list.ts). */
  hosts: string[];
  /** Watch every network namespace of the host (containers, pods): true, false, or null for automatic (on when root in the host's namespace). */
  allNamespaces: boolean | null;
}

/** Bounds of minIntervalSec. */
export const MIN_INTERVAL_RANGE_SEC = { min: 10, max: 86_400 } as const;

/** The settings of a fresh install. */
export function defaultSettings(): DesktopSettings {
  return {
    schema: 1,
    sampling: { cpuBudget: DEFAULT_SCHEDULE.cpuBudget },
    analysis: parseAnalysisConfig(undefined).config,
    notifications: { enabled: true, minIntervalSec: 120, quietHours: { enabled: false, start: '22:00', end: '07:00' }, mutedUntil: null },
    launchAtLogin: false,
    hosts: [],
    allNamespaces: null,
  };
}

/** Settings read from untrusted JSON, with every problem found (an empty list when the input was clean). */
export interface ParsedSettings {
  settings: DesktopSettings;
  problems: string[];
}

/** Parses settings; never throws. Missing fields take their default silently, bad ones with a problem. */
export function parseSettings(input: unknown): ParsedSettings {
  const problems: string[] = [];
  const s = defaultSettings();
  if (!isObject(input)) {
    problems.push(`settings: expected an object, got ${describe(input)}`);
    return { settings: s, problems };
  }
  unknownKeys(input, ['schema', 'sampling', 'analysis', 'notifications', 'launchAtLogin', 'hosts', 'allNamespaces'], '', problems);

  const schema = read(input, 'schema', problems);
  if (schema !== undefined && schema !== 1) problems.push(`schema: expected 1, got ${describe(schema)}`);

  const sampling = section(input, 'sampling', problems);
  if (sampling) {
    unknownKeys(sampling, ['cpuBudget'], 'sampling.', problems);
    const v = read(sampling, 'cpuBudget', problems, 'sampling.');
    if (v !== undefined) {
      const bad = typeof v === 'number' ? checkCpuBudget(v) : 'expected a number';
      if (bad) problems.push(`sampling.cpuBudget: ${bad}${typeof v === 'number' ? '' : `, got ${describe(v)}`}`);
      else s.sampling.cpuBudget = v as number;
    }
  }

  const analysis = read(input, 'analysis', problems);
  if (analysis !== undefined) {
    const parsed = parseAnalysisConfig(analysis);
    s.analysis = parsed.config;
    for (const e of parsed.errors) problems.push(`analysis.${e.replace(/^config: /, '')}`);
  }

  const n = section(input, 'notifications', problems);
  if (n) {
    unknownKeys(n, ['enabled', 'minIntervalSec', 'quietHours', 'mutedUntil'], 'notifications.', problems);
    s.notifications.enabled = boolField(n, 'enabled', s.notifications.enabled, 'notifications.', problems);
    const iv = read(n, 'minIntervalSec', problems, 'notifications.');
    if (iv !== undefined) {
      const { min, max } = MIN_INTERVAL_RANGE_SEC;
      if (typeof iv === 'number' && Number.isInteger(iv) && iv >= min && iv <= max) s.notifications.minIntervalSec = iv;
      else problems.push(`notifications.minIntervalSec: expected an integer in [${min}, ${max}], got ${describe(iv)}`);
    }
    const q = section(n, 'quietHours', problems, 'notifications.');
    if (q) {
      unknownKeys(q, ['enabled', 'start', 'end'], 'notifications.quietHours.', problems);
      const quiet = s.notifications.quietHours;
      quiet.enabled = boolField(q, 'enabled', quiet.enabled, 'notifications.quietHours.', problems);
      for (const key of ['start', 'end'] as const) {
        const v = read(q, key, problems, 'notifications.quietHours.');
        if (v === undefined) continue;
        if (typeof v === 'string' && parseClock(v) !== null) quiet[key] = v;
        else problems.push(`notifications.quietHours.${key}: expected a time "HH:MM" (00:00..23:59), got ${describe(v)}`);
      }
    }
    const mu = read(n, 'mutedUntil', problems, 'notifications.');
    if (mu !== undefined) {
      if (mu === null || (typeof mu === 'number' && Number.isFinite(mu) && mu >= 0)) s.notifications.mutedUntil = mu;
      else problems.push(`notifications.mutedUntil: expected null or a time in epoch milliseconds, got ${describe(mu)}`);
    }
  }

  s.launchAtLogin = boolField(input, 'launchAtLogin', s.launchAtLogin, '', problems);
  const hosts = read(input, 'hosts', problems);
  if (hosts !== undefined) s.hosts = parseHostList(hosts, problems);
  const all = read(input, 'allNamespaces', problems);
  if (all !== undefined) {
    if (all === null || typeof all === 'boolean') s.allNamespaces = all;
    else problems.push(`allNamespaces: expected true, false or null (automatic), got ${describe(all)}`);
  }
  return { settings: s, problems };
}

function boolField(o: Record<string, unknown>, key: string, fallback: boolean, prefix: string, problems: string[]): boolean {
  const v = read(o, key, problems, prefix);
  if (v === undefined) return fallback;
  if (typeof v === 'boolean') return v;
  problems.push(`${prefix}${key}: expected true or false, got ${describe(v)}`);
  return fallback;
}

function section(o: Record<string, unknown>, key: string, problems: string[], prefix = ''): Record<string, unknown> | null {
  const v = read(o, key, problems, prefix);
  if (v === undefined) return null;
  if (isObject(v)) return v;
  problems.push(`${prefix}${key}: expected an object, got ${describe(v)}`);
  return null;
}

function unknownKeys(o: Record<string, unknown>, known: readonly string[], prefix: string, problems: string[]): void {
  let keys: string[];
  try {
    keys = Object.keys(o);
  } catch {
    return;
  }
  for (const k of keys.slice(0, 50)) if (!known.includes(k)) problems.push(`${prefix}${describeKey(k)}: unknown setting (ignored)`);
}

// A hostile value (a throwing getter) must not make parsing throw.
function read(o: Record<string, unknown>, key: string, problems: string[], prefix = ''): unknown {
  try {
    return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
  } catch {
    problems.push(`${prefix}${key}: could not be read`);
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeKey(k: string): string {
  return k.length > 40 ? `${JSON.stringify(k.slice(0, 40))}…` : k;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return `a ${typeof v}`;
}

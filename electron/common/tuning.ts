// The tuning contract, shared by the planner (electron/node/tuning), the privileged helper
// (electron/helper) and the wizard UI: the allow-list of kernel keys with their numeric bounds, the plan
// document the helper accepts (parsed integers only), what the helper reports back, and the reviewed plan
// a UI shows. Pure: no node:*, no DOM. Every statement here must agree with docs/domain.md.
import type { PlatformName, PortRange } from './model.js';
import { arr, describeValue, num, obj, oneOf, str, tagged, validate, type Schema, type Validated } from './schema.js';

// ---------------------------------------------------------------------------------------------------
// The allow-list

/**
 * Every key the helper may write, in the order it writes them: reserved ports first, so that a listening
 * port is reserved before a wider range could hand it out; a revert writes them in the reverse order.
 */
export const LINUX_TUNABLE_KEYS = [
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_tw_reuse',
  'net.ipv4.tcp_tw_reuse_delay',
] as const;

/**
 * macOS: the range plain connect() uses (portrange.first/last; hifirst/hilast serve IP_PORTRANGE_HIGH
 * sockets only, lowfirst/lowlast privileged ports: neither is touched) and, opt-in only, the MSL
 * (TIME-WAIT lasts 2 × msl for every connection of the machine). Written first, last, msl.
 */
export const DARWIN_TUNABLE_KEYS = ['net.inet.ip.portrange.first', 'net.inet.ip.portrange.last', 'net.inet.tcp.msl'] as const;

/**
 * Windows: the TCP dynamic port range of IPv4 and of IPv6 (`netsh int ipv4|ipv6 set dynamicport tcp
 * start= num=`, stored by Windows itself) and, opt-in only, TcpTimedWaitDelay (registry, after a reboot).
 * These are not sysctls: the names are Portwatch's own, prefixed with the platform.
 */
export const WIN32_TUNABLE_KEYS = ['win32.ipv4.dynamicport.tcp', 'win32.ipv6.dynamicport.tcp', 'win32.tcpip.TcpTimedWaitDelay'] as const;

/** Every key the helper may write on any platform (each platform's keys in its write order). */
export const TUNABLE_KEYS = [...LINUX_TUNABLE_KEYS, ...DARWIN_TUNABLE_KEYS, ...WIN32_TUNABLE_KEYS] as const;

/** A key the helper may write. */
export type TunableKey = (typeof TUNABLE_KEYS)[number];

/** The keys of one platform, in the order the helper writes them. */
export const TUNABLE_KEYS_BY_PLATFORM: Readonly<Record<PlatformName, readonly TunableKey[]>> = {
  linux: LINUX_TUNABLE_KEYS,
  darwin: DARWIN_TUNABLE_KEYS,
  win32: WIN32_TUNABLE_KEYS,
};

/** The platform a key belongs to. */
export function platformOfKey(key: TunableKey): PlatformName {
  if ((DARWIN_TUNABLE_KEYS as readonly string[]).includes(key)) return 'darwin';
  if ((WIN32_TUNABLE_KEYS as readonly string[]).includes(key)) return 'win32';
  return 'linux';
}

/** Lowest port a range may start at, whatever ip_unprivileged_port_start says (the kernel default floor). */
export const RANGE_ABSOLUTE_FLOOR = 1024;
/** Lowest low end proposed without reserving every listener in the range (docs/domain.md guard rail). */
export const SAFE_RANGE_FLOOR = 32768;
/** Highest port. */
export const PORT_MAX = 65535;
/** Most reserved ranges a plan may carry (the kernel stores a bitmap; this bounds the document). */
export const MAX_RESERVED_RANGES = 256;
/** tcp_tw_reuse_delay bounds in milliseconds (the kernel refuses 0 and anything above TCP_PAWS_MSL × 1000). */
export const TW_REUSE_DELAY_BOUNDS = { min: 1, max: 60_000 } as const;
/** Keep-or-revert countdown bounds, seconds. */
export const CONFIRM_TIMEOUT_BOUNDS = { min: 1, max: 3600 } as const;
/** The countdown a plan gets unless the user asks otherwise (NetworkManager's checkpoints use 60 s too). */
export const DEFAULT_CONFIRM_TIMEOUT_SEC = 60;
/** The drop-in file the helper persists settings in (under the sysctl configuration root). */
export const DROP_IN_PATH = '/etc/sysctl.d/60-portwatch.conf';

/** macOS portrange.first/last: the kernel clamps into [1024, 65535]; the helper never asks for less. */
export const DARWIN_PORT_BOUNDS = { min: RANGE_ABSOLUTE_FLOOR, max: PORT_MAX } as const;
/**
 * net.inet.tcp.msl bounds in ms (TIME-WAIT = 2 × msl): never under 5 s (TIME-WAIT 10 s), never above the
 * macOS default 15 s. Portwatch only ever shortens it, and only when asked.
 */
export const DARWIN_MSL_BOUNDS_MS = { min: 5000, max: 15_000 } as const;
/** The LaunchDaemon that sets the macOS values again at every boot (current macOS does not read /etc/sysctl.conf). */
export const DARWIN_LAUNCHD_PLIST_PATH = '/Library/LaunchDaemons/io.portwatch.sysctl.plist';
/** Its launchd label. */
export const DARWIN_LAUNCHD_LABEL = 'io.portwatch.sysctl';
/** Windows' limits for `netsh int ipvX set dynamicport tcp start=N num=M`: N ≥ 1025, M ≥ 255, N + M − 1 ≤ 65535. */
export const WIN32_DYNAMIC_PORT_BOUNDS = { minStart: 1025, minCount: 255, maxEnd: PORT_MAX } as const;
/** TcpTimedWaitDelay bounds, seconds (documented range). */
export const TCP_TIMED_WAIT_DELAY_BOUNDS = { min: 30, max: 300 } as const;

/** Where each platform persists the helper's values (null: the system stores them itself). */
export const PERSISTENCE_PATH: Readonly<Record<PlatformName, string | null>> = {
  linux: DROP_IN_PATH,
  darwin: DARWIN_LAUNCHD_PLIST_PATH,
  win32: null,
};

/** One setting as the helper receives it: the key and parsed integers, never text. */
export type HelperSetting =
  | { key: 'net.ipv4.ip_local_port_range'; low: number; high: number }
  | { key: 'net.ipv4.ip_local_reserved_ports'; ranges: PortRange[] }
  | { key: 'net.ipv4.tcp_tw_reuse'; value: 0 | 1 | 2 }
  | { key: 'net.ipv4.tcp_tw_reuse_delay'; value: number }
  | { key: 'net.inet.ip.portrange.first'; value: number }
  | { key: 'net.inet.ip.portrange.last'; value: number }
  | { key: 'net.inet.tcp.msl'; value: number }
  | { key: 'win32.ipv4.dynamicport.tcp'; start: number; num: number }
  | { key: 'win32.ipv6.dynamicport.tcp'; start: number; num: number }
  | { key: 'win32.tcpip.TcpTimedWaitDelay'; value: number };

/** The document `portwatch-helper apply <plan-file>` reads. */
export interface HelperPlanDocument {
  kind: 'portwatch-helper-plan';
  schema: 1;
  /** At most one setting per key. */
  settings: HelperSetting[];
  /** Seconds before the change is reverted unless confirmed. */
  confirmTimeoutSec: number;
}

const port = num({ integer: true, min: 1, max: PORT_MAX });
const portRangeSchema: Schema<PortRange> = obj<PortRange>({ low: port, high: port });

type Setting<K extends TunableKey> = Extract<HelperSetting, { key: K }>;

const dynamicPortFields = {
  start: num({ integer: true, min: WIN32_DYNAMIC_PORT_BOUNDS.minStart, max: WIN32_DYNAMIC_PORT_BOUNDS.maxEnd }),
  num: num({ integer: true, min: WIN32_DYNAMIC_PORT_BOUNDS.minCount, max: WIN32_DYNAMIC_PORT_BOUNDS.maxEnd - WIN32_DYNAMIC_PORT_BOUNDS.minStart + 1 }),
};

const settingSchema: Schema<HelperSetting> = tagged<HelperSetting>('key', {
  'net.ipv4.ip_local_port_range': obj<Setting<'net.ipv4.ip_local_port_range'>>({
    key: oneOf('net.ipv4.ip_local_port_range'),
    low: num({ integer: true, min: RANGE_ABSOLUTE_FLOOR, max: PORT_MAX }),
    high: num({ integer: true, min: RANGE_ABSOLUTE_FLOOR, max: PORT_MAX }),
  }),
  'net.ipv4.ip_local_reserved_ports': obj<Setting<'net.ipv4.ip_local_reserved_ports'>>({
    key: oneOf('net.ipv4.ip_local_reserved_ports'),
    ranges: arr(portRangeSchema, { maxLength: MAX_RESERVED_RANGES }),
  }),
  // 0 (off) is a value the kernel may hold, never one the helper writes.
  'net.ipv4.tcp_tw_reuse': obj<Setting<'net.ipv4.tcp_tw_reuse'>>({ key: oneOf('net.ipv4.tcp_tw_reuse'), value: oneOf(1, 2) }),
  'net.ipv4.tcp_tw_reuse_delay': obj<Setting<'net.ipv4.tcp_tw_reuse_delay'>>({
    key: oneOf('net.ipv4.tcp_tw_reuse_delay'),
    value: num({ integer: true, ...TW_REUSE_DELAY_BOUNDS }),
  }),
  'net.inet.ip.portrange.first': obj<Setting<'net.inet.ip.portrange.first'>>({
    key: oneOf('net.inet.ip.portrange.first'),
    value: num({ integer: true, ...DARWIN_PORT_BOUNDS }),
  }),
  'net.inet.ip.portrange.last': obj<Setting<'net.inet.ip.portrange.last'>>({
    key: oneOf('net.inet.ip.portrange.last'),
    value: num({ integer: true, ...DARWIN_PORT_BOUNDS }),
  }),
  'net.inet.tcp.msl': obj<Setting<'net.inet.tcp.msl'>>({ key: oneOf('net.inet.tcp.msl'), value: num({ integer: true, ...DARWIN_MSL_BOUNDS_MS }) }),
  'win32.ipv4.dynamicport.tcp': obj<Setting<'win32.ipv4.dynamicport.tcp'>>({ key: oneOf('win32.ipv4.dynamicport.tcp'), ...dynamicPortFields }),
  'win32.ipv6.dynamicport.tcp': obj<Setting<'win32.ipv6.dynamicport.tcp'>>({ key: oneOf('win32.ipv6.dynamicport.tcp'), ...dynamicPortFields }),
  'win32.tcpip.TcpTimedWaitDelay': obj<Setting<'win32.tcpip.TcpTimedWaitDelay'>>({
    key: oneOf('win32.tcpip.TcpTimedWaitDelay'),
    value: num({ integer: true, ...TCP_TIMED_WAIT_DELAY_BOUNDS }),
  }),
});

/** Validates one setting on its own: shape, integer bounds, and the bounds that involve two numbers. */
export function parseHelperSetting(value: unknown, what = 'setting'): Validated<HelperSetting> {
  const v = validate(settingSchema, value, what);
  if (!v.ok) return v;
  const bad = settingProblem(v.value);
  return bad ? { ok: false, error: `${what}: ${bad}` } : v;
}

const planDocumentSchema: Schema<HelperPlanDocument> = obj<HelperPlanDocument>({
  kind: oneOf('portwatch-helper-plan'),
  schema: oneOf(1),
  settings: arr(settingSchema, { minLength: 1, maxLength: TUNABLE_KEYS.length }),
  confirmTimeoutSec: num({ integer: true, ...CONFIRM_TIMEOUT_BOUNDS }),
});

/**
 * Validates a helper plan document: its shape, the integer bounds of every value, one setting per key,
 * ranges that end at or above their start. Context rules that need the live system (the floor from
 * ip_unprivileged_port_start, widen-only, merge-only, listeners) are checked by the helper.
 */
export function parseHelperPlanDocument(value: unknown): Validated<HelperPlanDocument> {
  const v = validate(planDocumentSchema, value, 'plan');
  if (!v.ok) return v;
  const seen = new Set<string>();
  const platform = platformOfKey(v.value.settings[0]!.key);
  for (const [i, s] of v.value.settings.entries()) {
    if (seen.has(s.key)) return { ok: false, error: `plan.settings[${i}].key: ${s.key} appears twice` };
    seen.add(s.key);
    if (platformOfKey(s.key) !== platform) return { ok: false, error: `plan.settings[${i}].key: ${s.key} is a ${platformOfKey(s.key)} setting in a ${platform} plan` };
    const bad = settingProblem(s);
    if (bad) return { ok: false, error: `plan.settings[${i}]: ${bad}` };
  }
  const first = v.value.settings.find((s) => s.key === 'net.inet.ip.portrange.first');
  const last = v.value.settings.find((s) => s.key === 'net.inet.ip.portrange.last');
  if (first && last && 'value' in first && 'value' in last && first.value >= last.value) {
    return { ok: false, error: `plan.settings: net.inet.ip.portrange.first ${first.value} must be below net.inet.ip.portrange.last ${last.value}` };
  }
  return v;
}

/** The platform of a (validated) plan document: the platform of its keys. */
export function planPlatform(doc: HelperPlanDocument): PlatformName {
  return platformOfKey(doc.settings[0]!.key);
}

/** What is wrong with one setting on its own (bounds that involve two numbers), or null. */
export function settingProblem(s: HelperSetting): string | null {
  switch (s.key) {
    case 'net.ipv4.ip_local_port_range':
      return s.high < s.low ? `the range ${s.low}–${s.high} ends below its start` : null;
    case 'net.ipv4.ip_local_reserved_ports':
      for (const r of s.ranges) if (r.high < r.low) return `the reserved range ${r.low}–${r.high} ends below its start`;
      return null;
    case 'win32.ipv4.dynamicport.tcp':
    case 'win32.ipv6.dynamicport.tcp':
      return s.start + s.num - 1 > WIN32_DYNAMIC_PORT_BOUNDS.maxEnd ? `start=${s.start} num=${s.num} ends at ${s.start + s.num - 1}, above ${WIN32_DYNAMIC_PORT_BOUNDS.maxEnd}` : null;
    case 'net.ipv4.tcp_tw_reuse':
    case 'net.ipv4.tcp_tw_reuse_delay':
    case 'net.inet.ip.portrange.first':
    case 'net.inet.ip.portrange.last':
    case 'net.inet.tcp.msl':
    case 'win32.tcpip.TcpTimedWaitDelay':
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------
// Kernel text: what /proc/sys files hold, parsed and formatted the way the kernel does

/**
 * The text the system shows for a setting, e.g. "32768\t65535" or "8080,9000-9010" (Linux), "49152"
 * (macOS sysctl -n), "start=49152 num=16384" (the Windows dynamic range, as netsh takes it), "30"
 * (TcpTimedWaitDelay in seconds; "" when the value is not set).
 */
export function kernelText(s: HelperSetting): string {
  switch (s.key) {
    case 'net.ipv4.ip_local_port_range':
      return `${s.low}\t${s.high}`;
    case 'net.ipv4.ip_local_reserved_ports':
      return formatReservedPorts(s.ranges);
    case 'win32.ipv4.dynamicport.tcp':
    case 'win32.ipv6.dynamicport.tcp':
      return `start=${s.start} num=${s.num}`;
    case 'net.ipv4.tcp_tw_reuse':
    case 'net.ipv4.tcp_tw_reuse_delay':
    case 'net.inet.ip.portrange.first':
    case 'net.inet.ip.portrange.last':
    case 'net.inet.tcp.msl':
    case 'win32.tcpip.TcpTimedWaitDelay':
      return String(s.value);
  }
}

/** The same value as a sysctl.d line value ("32768 65535"). */
export function configText(s: HelperSetting): string {
  return kernelText(s).replace(/\t/g, ' ');
}

/** Ranges sorted, merged where they overlap or touch. */
export function mergePortRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges.map((r) => ({ low: r.low, high: r.high })).sort((a, b) => a.low - b.low || a.high - b.high);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.low <= last.high + 1) last.high = Math.max(last.high, r.high);
    else out.push(r);
  }
  return out;
}

/** Formats reserved ranges the way ip_local_reserved_ports reads back ("8080,9000-9010"; "" when none). */
export function formatReservedPorts(ranges: readonly PortRange[]): string {
  return mergePortRanges(ranges)
    .map((r) => (r.low === r.high ? `${r.low}` : `${r.low}-${r.high}`))
    .join(',');
}

/** True when every port of `inner` is also in `outer`. */
export function rangesCover(outer: readonly PortRange[], inner: readonly PortRange[]): boolean {
  const o = mergePortRanges(outer);
  return mergePortRanges(inner).every((r) => o.some((x) => x.low <= r.low && x.high >= r.high));
}

/** True when `port` lies in one of the ranges. */
export function inRanges(ranges: readonly PortRange[], port: number): boolean {
  return ranges.some((r) => port >= r.low && port <= r.high);
}

/**
 * Parses the text of a tunable key as the kernel shows it (or as a sysctl.d value) into a setting;
 * returns an error naming the key when it is not a value of that key.
 */
export function parseKernelText(key: TunableKey, text: string): { ok: true; setting: HelperSetting } | { ok: false; error: string } {
  const t = text.trim();
  const bad = (what: string) => ({ ok: false as const, error: `${key}: expected ${what}, got ${describeValue(t)}` });
  switch (key) {
    case 'net.ipv4.ip_local_port_range': {
      const m = /^(\d{1,5})\s+(\d{1,5})$/.exec(t);
      if (!m) return bad('two port numbers');
      const low = Number(m[1]);
      const high = Number(m[2]);
      if (low < 1 || high > PORT_MAX || high < low) return bad('a port range');
      return { ok: true, setting: { key, low, high } };
    }
    case 'net.ipv4.ip_local_reserved_ports': {
      if (t === '') return { ok: true, setting: { key, ranges: [] } };
      const ranges: PortRange[] = [];
      const items = t.split(',');
      if (items.length > 65536) return bad('a list of ports');
      for (const item of items) {
        const m = /^\s*(\d{1,5})(?:\s*-\s*(\d{1,5}))?\s*$/.exec(item);
        if (!m) return bad('a list of ports and ranges such as 8080,9000-9010');
        const low = Number(m[1]);
        const high = m[2] === undefined ? low : Number(m[2]);
        if (high > PORT_MAX || high < low) return bad('a list of ports and ranges such as 8080,9000-9010');
        ranges.push({ low, high });
      }
      return { ok: true, setting: { key, ranges: mergePortRanges(ranges) } };
    }
    case 'net.ipv4.tcp_tw_reuse': {
      if (!/^\d{1,2}$/.test(t)) return bad('0, 1 or 2');
      const n = Number(t);
      if (n !== 0 && n !== 1 && n !== 2) return bad('0, 1 or 2');
      return { ok: true, setting: { key, value: n } };
    }
    case 'net.ipv4.tcp_tw_reuse_delay': {
      if (!/^\d{1,9}$/.test(t)) return bad('milliseconds');
      return { ok: true, setting: { key, value: Number(t) } };
    }
    case 'net.inet.ip.portrange.first':
    case 'net.inet.ip.portrange.last':
    case 'net.inet.tcp.msl':
    case 'win32.tcpip.TcpTimedWaitDelay': {
      if (!/^\d{1,10}$/.test(t) || !Number.isSafeInteger(Number(t))) return bad('a whole number');
      return { ok: true, setting: { key, value: Number(t) } };
    }
    case 'win32.ipv4.dynamicport.tcp':
    case 'win32.ipv6.dynamicport.tcp': {
      const m = /^start=(\d{1,5})\s+num=(\d{1,5})$/.exec(t);
      if (!m) return bad('start=N num=M');
      const start = Number(m[1]);
      const count = Number(m[2]);
      if (start < 1 || count < 1 || start + count - 1 > PORT_MAX) return bad('a range of ports');
      return { ok: true, setting: { key, start, num: count } };
    }
  }
}

/** The canonical form of a key's text (so "32768 65535" and "32768\t65535\n" compare equal); null when unreadable. */
export function canonicalKernelText(key: TunableKey, text: string | null): string | null {
  if (text === null) return null;
  // An absent registry value reads as "" and is a state of its own (reverting to it deletes the value).
  if (key === 'win32.tcpip.TcpTimedWaitDelay' && text.trim() === '') return '';
  const p = parseKernelText(key, text);
  return p.ok ? kernelText(p.setting) : null;
}

/** True for one of the allow-listed keys. */
export function isTunableKey(k: unknown): k is TunableKey {
  return typeof k === 'string' && (TUNABLE_KEYS as readonly string[]).includes(k);
}

// ---------------------------------------------------------------------------------------------------
// What the helper reports

/** The helper's verbs: a closed set. */
export const HELPER_VERBS = ['apply', 'revert', 'confirm', 'status', 'recover'] as const;
/** One helper verb. */
export type HelperVerb = (typeof HELPER_VERBS)[number];

/** Transaction ids look like 20261124T101500Z-a1b2c3 (UTC time and 24 random bits). */
export const TXID_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

/** Exit statuses of the helper (sysexits.h values). */
export const HELPER_EXIT = { ok: 0, refused: 64, failed: 70, needsRecover: 75 } as const;

/** The line prefix of the helper's one machine-readable result line. */
export const HELPER_RESULT_PREFIX = 'PORTWATCH-HELPER-RESULT ';

/** How a helper run ended. */
export type HelperOutcome =
  /** apply: every value was already in effect and persisted; nothing was written. */
  | 'unchanged'
  /** apply: written, read back, persisted; waiting for keep or revert. */
  | 'awaiting-confirm'
  /** The change was kept (confirmed). */
  | 'kept'
  /** The change was reverted (asked for, or the countdown ran out): the old values are back. */
  | 'reverted'
  /** A write failed or read back differently: everything written was put back. */
  | 'rolled-back'
  /** The arguments, the plan or the live system did not allow it: nothing was written. */
  | 'refused'
  /** Something failed and could not be fully undone: run `recover`. */
  | 'failed'
  /** status: see `transaction` and `history`. */
  | 'status'
  /** recover: an interrupted transaction was finished (fully old, or fully new when it was confirmed). */
  | 'recovered'
  /** recover: nothing was interrupted. */
  | 'nothing-to-recover';

/** One key's values around a change, as kernel text. */
export interface SettingChange {
  key: TunableKey;
  /** Before the change (null when the key does not exist on this kernel). */
  before: string | null;
  /** What was asked for. */
  wanted: string;
  /** What the kernel holds now (read back). */
  now: string | null;
}

/** A file in the sysctl configuration that sets one of our keys after (and so instead of) our drop-in. */
export interface BootOverride {
  key: TunableKey;
  /** The file whose setting wins at boot. */
  path: string;
  line: number;
  value: string;
  /**
   * Which reader this holds for: systemd-sysctl at boot, `sysctl --system` (procps), or both (Linux);
   * launchd on macOS (another LaunchDaemon, or /etc/sysctl.conf, which older macOS read at boot).
   */
  readers: ('systemd-sysctl' | 'procps' | 'launchd')[];
}

/** State of a journaled transaction. */
export type TransactionState = 'applying' | 'awaiting-confirm' | 'committed' | 'rolling-back' | 'rolled-back';

/** A transaction as `status` shows it. */
export interface TransactionSummary {
  txid: string;
  kind: 'apply' | 'undo';
  state: TransactionState;
  createdAt: number;
  /** Epoch ms when an unconfirmed change is reverted, else null. */
  deadline: number | null;
  /** Whether the process holding the countdown is alive. */
  holderAlive: boolean;
  keys: TunableKey[];
  before: Partial<Record<TunableKey, string | null>>;
  after: Partial<Record<TunableKey, string | null>>;
}

/** The helper's machine-readable result (one line, prefixed with HELPER_RESULT_PREFIX). */
export interface HelperResult {
  schema: 1;
  verb: HelperVerb | null;
  outcome: HelperOutcome;
  /** One plain sentence. */
  message: string;
  txid: string | null;
  changes: SettingChange[];
  /** The drop-in file and whether this run changed it. */
  dropIn: { path: string; changed: boolean } | null;
  overrides: BootOverride[];
  deadline: number | null;
  transaction: TransactionSummary | null;
  history: TransactionSummary[];
}

const keySchema = oneOf(...TUNABLE_KEYS);
const textOrNull: Schema<string | null> = { check: (v, p) => (v === null ? null : str({ maxLength: 400_000 }).check(v, p)) };
const summarySchema: Schema<TransactionSummary> = obj<TransactionSummary>(
  {
    txid: str({ maxLength: 40 }),
    kind: oneOf('apply', 'undo'),
    state: oneOf('applying', 'awaiting-confirm', 'committed', 'rolling-back', 'rolled-back'),
    createdAt: num(),
    deadline: { check: (v, p) => (v === null ? null : num().check(v, p)) },
    holderAlive: { check: (v, p) => (typeof v === 'boolean' ? null : `${p}: expected true or false, got ${describeValue(v)}`) },
    keys: arr(keySchema, { maxLength: TUNABLE_KEYS.length }),
    before: { check: (v, p) => recordOfText(v, p) },
    after: { check: (v, p) => recordOfText(v, p) },
  },
  { strict: false },
);

function recordOfText(v: unknown, p: string): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p}: expected an object, got ${describeValue(v)}`;
  for (const [k, x] of Object.entries(v)) {
    if (!isTunableKey(k)) return `${p}: unknown key ${describeValue(k)}`;
    const e = textOrNull.check(x, `${p}.${k}`);
    if (e) return e;
  }
  return null;
}

const resultSchema: Schema<HelperResult> = obj<HelperResult>(
  {
    schema: oneOf(1),
    verb: { check: (v, p) => (v === null ? null : oneOf(...HELPER_VERBS).check(v, p)) },
    outcome: oneOf('unchanged', 'awaiting-confirm', 'kept', 'reverted', 'rolled-back', 'refused', 'failed', 'status', 'recovered', 'nothing-to-recover'),
    message: str({ maxLength: 10_000 }),
    txid: textOrNull,
    changes: arr(
      obj<SettingChange>({ key: keySchema, before: textOrNull, wanted: str({ maxLength: 400_000 }), now: textOrNull }, { strict: false }),
      { maxLength: TUNABLE_KEYS.length },
    ),
    dropIn: { check: (v, p) => (v === null ? null : obj<{ path: string; changed: boolean }>({ path: str({ maxLength: 4096 }), changed: { check: (b, q) => (typeof b === 'boolean' ? null : `${q}: expected true or false`) } }, { strict: false }).check(v, p)) },
    overrides: arr(
      obj<BootOverride>(
        {
          key: keySchema,
          path: str({ maxLength: 4096 }),
          line: num({ integer: true, min: 0 }),
          value: str({ maxLength: 400_000 }),
          readers: arr(oneOf('systemd-sysctl', 'procps', 'launchd'), { maxLength: 3 }),
        },
        { strict: false },
      ),
      { maxLength: 64 },
    ),
    deadline: { check: (v, p) => (v === null ? null : num().check(v, p)) },
    transaction: { check: (v, p) => (v === null ? null : summarySchema.check(v, p)) },
    history: arr(summarySchema, { maxLength: 100 }),
  },
  { strict: false },
);

/** Validates a helper result read back from the helper's output (the unprivileged side trusts nothing). */
export function parseHelperResult(value: unknown): Validated<HelperResult> {
  return validate(resultSchema, value, 'result');
}

/** Finds and parses the result line in a helper's output (a terminal stream); null when there is none. */
export function findHelperResult(output: string): HelperResult | null {
  const at = output.lastIndexOf(HELPER_RESULT_PREFIX);
  if (at < 0) return null;
  const end = output.indexOf('\n', at);
  if (end < 0) return null;
  const json = output.slice(at + HELPER_RESULT_PREFIX.length, end).trim();
  try {
    const v = parseHelperResult(JSON.parse(json));
    return v.ok ? v.value : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------
// The reviewed plan a UI shows

/** Capacity and rate figures for one setting state (a what-if). */
export interface CapacityFigures {
  range: PortRange | null;
  rangeSize: number | null;
  /** Reserved ports inside the range. */
  reserved: number;
  /** Ports inside the range held by listeners or bound sockets, not reserved; null when no socket table was read. */
  heldByListeners: number | null;
  /** What connect() can pick toward one destination (at most this when heldByListeners is null). */
  usable: number | null;
}

/** Per-destination figures before and after the plan. */
export interface DestinationWhatIf {
  /** Destination key from the Sample. */
  key: string;
  /** "10.0.0.5 → 10.0.0.9:443". */
  label: string;
  loopback: boolean;
  /** Observed new connections per second toward it (null when unknown). */
  newPerSec: number | null;
  before: { holdSec: number; sustainablePerSec: number | null };
  after: { holdSec: number; sustainablePerSec: number | null };
}

/** The what-if of a set of settings: usable ports, hold time and sustainable rate per destination. */
export interface WhatIf {
  capacity: CapacityFigures;
  /** Seconds a closed outgoing connection keeps its port toward a non-loopback destination. */
  holdSec: number;
  /** usable / holdSec for a non-loopback destination (null when the range is unknown). */
  sustainablePerDestinationPerSec: number | null;
}

/** A kernel change the plan proposes (applied by the helper after review). */
export interface KernelStep {
  kind: 'kernel';
  /** Stable id: "widen-range", "reserve-listeners", "tw-reuse". */
  id: string;
  key: TunableKey;
  title: string;
  /** The value now, as the kernel shows it (null when unreadable or absent). */
  current: string | null;
  /** The value proposed, as the kernel will show it. */
  proposed: string;
  /** What the helper receives. */
  setting: HelperSetting;
  /** Why this change, in plain words. */
  why: string;
  /** Figures before and after this step (steps build on each other in order). */
  effect: { before: WhatIf; after: WhatIf; summary: string };
  risks: string[];
}

/** An application-level fix: the real cure, explained, never applied by Portwatch. */
export interface AdviceStep {
  kind: 'application';
  /** Stable id: "connection-reuse", "bind-address-no-port", "more-source-addresses", "close-sockets"… */
  id: string;
  title: string;
  text: string;
  why: string;
  /** The diagnosis ids it answers. */
  forDiagnoses: string[];
}

/** What the environment is: a host Portwatch may change, or a container whose host it must not pretend to change. */
export interface TuningEnvironment {
  container: boolean;
  /** docker, podman, kubernetes, containerd, or null on a host. */
  kind: 'docker' | 'podman' | 'kubernetes' | 'containerd' | 'container' | null;
  /** What the detection saw (files, cgroup lines, variables). */
  evidence: string[];
}

/** The winner at boot for one key. */
export interface BootWinner {
  key: TunableKey;
  /** The file that sets the key last at boot (systemd-sysctl), null when none does. */
  systemd: { path: string; line: number; value: string } | null;
  /** The same with `sysctl --system` (procps reads /etc/sysctl.conf last). */
  procps: { path: string; line: number; value: string } | null;
  /** True when our drop-in wins under both. */
  oursWins: boolean;
}

/** A plan for one machine, as the planner proposes it and a UI reviews it. */
export interface TuningPlan {
  schema: 1;
  platform: PlatformName;
  createdAt: number;
  environment: TuningEnvironment;
  /** One or two sentences: what the plan does and why. */
  summary: string;
  /** Application-level fixes first: the cure. */
  advice: AdviceStep[];
  /** Kernel changes, in the order the helper writes them: relief. */
  kernel: KernelStep[];
  /** Things the reviewer must know (parity, listeners, overriding files, container scope). */
  warnings: string[];
  /** Things deliberately not proposed, and why (myths, look-alikes). */
  notProposed: string[];
  whatIf: { before: WhatIf; after: WhatIf; destinations: DestinationWhatIf[] };
  /**
   * The file the helper will write so that the values survive a reboot (the Linux drop-in, the macOS
   * LaunchDaemon), and who wins at boot once it is there (Linux); null in a container, and on Windows,
   * which stores the values itself.
   */
  persistence: {
    path: string;
    before: string | null;
    after: string;
    boot: BootWinner[];
    /** How the file applies the values at boot, in one sentence (macOS; absent on Linux, where `boot` says it). */
    how?: string;
  } | null;
  /** In a container or pod: how to set the same values where they belong (the host is not changed). */
  containerSnippets: { kubernetes: string; docker: string; notes: string[] } | null;
  /** The document for `portwatch-helper apply`, or null when there is nothing the helper should do here. */
  helperPlan: HelperPlanDocument | null;
}

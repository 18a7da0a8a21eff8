// Parses the tracer's output (bpftrace -f json running connect-failures.bt or syscall-failures.bt), one line at a time. Pure and
// total: any line, however malformed, gives a typed result and never throws.

/** One aggregated key of one second. */
export interface TracedFailure {
  pid: number;
  netns: number;
  errno: 98 | 99;
  port: number;
  syscall: 'connect' | 'bind';
  address: string;
  comm: string;
  count: number;
}

/** What one line said. */
export type TracerLine =
  | { kind: 'failures'; failures: TracedFailure[]; problems: string[] }
  | { kind: 'heartbeat' }
  | { kind: 'attached'; probes: number }
  | { kind: 'other' }
  | { kind: 'bad'; problem: string };

const MAX_LINE = 1024 * 1024;
const MAX_KEYS = 4096;
/** The maps the program prints its counts in. */
const FAIL_MAPS = new Set(['@fail0', '@fail1', '@fail2', '@fail']);
const ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:.]{2,45})$/;

/** Parses one line of the tracer's stdout. */
export function parseTracerLine(line: string): TracerLine {
  const text = line.trim();
  if (text === '') return { kind: 'other' };
  if (text.length > MAX_LINE) return { kind: 'bad', problem: `a line of ${text.length} bytes (most ${MAX_LINE})` };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { kind: 'bad', problem: `not JSON: ${JSON.stringify(text.slice(0, 80))}` };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { kind: 'bad', problem: 'not a JSON object' };
  const { type, data } = doc as { type?: unknown; data?: unknown };
  if (type === 'printf') return typeof data === 'string' && data.trim() === 'heartbeat' ? { kind: 'heartbeat' } : { kind: 'other' };
  if (type === 'attached_probes') {
    const probes = (data as { probes?: unknown } | null)?.probes;
    return typeof probes === 'number' && Number.isInteger(probes) ? { kind: 'attached', probes } : { kind: 'bad', problem: 'attached_probes without a count' };
  }
  if (type !== 'map') return { kind: 'other' };
  // The program counts in @fail0, @fail1 and @fail2 by turns (a single @fail before): one map per line.
  const name = typeof data === 'object' && data !== null ? Object.keys(data).find((k) => FAIL_MAPS.has(k)) : undefined;
  if (name === undefined) return { kind: 'other' };
  const map = (data as Record<string, unknown>)[name];
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return { kind: 'bad', problem: `${name} is not an object` };
  const failures: TracedFailure[] = [];
  const problems: string[] = [];
  const entries = Object.entries(map as Record<string, unknown>);
  if (entries.length > MAX_KEYS) problems.push(`${entries.length} keys in one second; the first ${MAX_KEYS} kept`);
  for (const [key, value] of entries.slice(0, MAX_KEYS)) {
    const f = parseKey(key, value);
    if (typeof f === 'string') problems.push(f);
    else failures.push(f);
  }
  return { kind: 'failures', failures, problems };
}

function parseKey(key: string, value: unknown): TracedFailure | string {
  const culprit = JSON.stringify(key.slice(0, 120));
  // pid, netns, errno, port, syscall, address, comm — comm last: the only field that may hold a comma.
  const parts = key.split(',');
  if (parts.length < 7) return `key ${culprit}: expected 7 fields`;
  const [pid, netns, errno, port, call, address] = parts as [string, string, string, string, string, string];
  const comm = parts.slice(6).join(',');
  const whole = (s: string, max: number): number | null => (/^\d{1,20}$/.test(s) && Number(s) <= max ? Number(s) : null);
  const p = whole(pid, 2 ** 32);
  const n = whole(netns, 2 ** 32);
  const e = whole(errno, 200);
  const po = whole(port, 65535);
  if (p === null || n === null || po === null) return `key ${culprit}: pid, netns and port must be whole numbers`;
  if (e !== 98 && e !== 99) return `key ${culprit}: errno ${errno} is not 98 or 99`;
  if (call !== '0' && call !== '1') return `key ${culprit}: syscall must be 0 or 1`;
  if (!ADDRESS.test(address)) return `key ${culprit}: ${JSON.stringify(address.slice(0, 60))} is not an address`;
  if (comm.length > 64) return `key ${culprit}: command name longer than 64`;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) return `key ${culprit}: count must be a positive whole number`;
  return { pid: p, netns: n, errno: e, port: po, syscall: call === '1' ? 'bind' : 'connect', address, comm, count: value };
}

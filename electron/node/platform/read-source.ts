// Reads one raw source with a timeout, no new read of a source whose last read is stuck, and a status
// that names the culprit. Shared by every backend, so each source fails alone and never crashes a sample.
import type { RawSource } from './types.js';

/** How to read a source, and what its absence means. */
export interface SourceSpec {
  name: string;
  /** What the user should recognise in an error: a path or a command. */
  what: string;
  read: (signal: AbortSignal) => Promise<Buffer>;
  /** Absent on some kernels/platforms (e.g. tcp_tw_reuse_delay, nf_conntrack): ENOENT means "unsupported". */
  optional?: boolean;
}

/**
 * Sources whose read timed out and has not settled yet (a hung procfs read or command holds a worker
 * thread): another read would only queue behind it. Reads that are merely concurrent (the monitor's
 * sampler and a plan gathered at the same moment, two backends in one process) are not refused: each
 * gets its own answer.
 */
const stuck = new Set<string>();

function describe(err: unknown): { code: string; message: string } {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : '';
  const reason: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
  };
  return { code, message: reason[code] ?? (e instanceof Error ? e.message : String(err)) };
}

/** Reads one source; never throws. */
export async function readSource(spec: SourceSpec, timeoutMs: number, outer?: AbortSignal): Promise<RawSource> {
  const started = performance.now();
  const done = (s: Omit<RawSource, 'name' | 'durationMs'>): RawSource => ({
    name: spec.name,
    durationMs: performance.now() - started,
    ...s,
  });
  const key = `${spec.name}\0${spec.what}`;
  if (stuck.has(key)) {
    return done({ status: 'timeout', error: `${spec.what}: previous read still in progress` });
  }
  const ac = new AbortController();
  // AbortSignal.any holds the outer signal weakly: no listener per source piles up on it.
  const signal = outer ? AbortSignal.any([outer, ac.signal]) : ac.signal;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  let settled = false;
  const reading = spec.read(signal).finally(() => {
    settled = true;
    stuck.delete(key);
  });
  try {
    const result = await Promise.race([reading, timeout]);
    if (result === 'timeout') {
      ac.abort();
      if (!settled) stuck.add(key);
      reading.catch(() => undefined);
      return done({ status: 'timeout', error: `${spec.what}: no answer within ${timeoutMs} ms` });
    }
    return done({ status: 'ok', data: result });
  } catch (err) {
    const { code, message } = describe(err);
    if (spec.optional && code === 'ENOENT') {
      return done({ status: 'unsupported', error: `${spec.what}: not present on this system` });
    }
    return done({ status: 'failed', error: `${spec.what}: ${message}` });
  } finally {
    clearTimeout(timer);
  }
}

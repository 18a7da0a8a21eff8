// Reads one raw source with a timeout, at most one read of the same source in flight, and a status
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

const inFlight = new Set<string>();

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
  if (inFlight.has(spec.name)) {
    // The previous read is still stuck: do not pile up another one behind it.
    return done({ status: 'timeout', error: `${spec.what}: previous read still in progress` });
  }
  inFlight.add(spec.name);
  const ac = new AbortController();
  // AbortSignal.any holds the outer signal weakly: no listener per source piles up on it.
  const signal = outer ? AbortSignal.any([outer, ac.signal]) : ac.signal;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const reading = spec.read(signal).finally(() => inFlight.delete(spec.name));
  try {
    const result = await Promise.race([reading, timeout]);
    if (result === 'timeout') {
      ac.abort();
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

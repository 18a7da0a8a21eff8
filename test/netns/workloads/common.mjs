// Shared bits of the namespace workloads: one JSON line per event on stdout, endpoint parsing, and a
// lifetime guard so that a workload a test forgot to kill still ends on its own.
import net from 'node:net';
import { parseArgs } from 'node:util';

/** Writes one event as one JSON line on stdout. */
export function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** Reports a fatal usage or setup error as an event and exits with status 2. */
export function fail(message) {
  emit({ error: message });
  process.exit(2);
}

/** Parses "127.0.0.1:8080" or "[::1]:8080" into { host, port }; exits naming the culprit when malformed. */
export function parseEndpoint(text, option) {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(text ?? '');
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) fail(`--${option} must look like 127.0.0.1:8080 or [::1]:8080, got ${JSON.stringify(text)}`);
  return { host: m[1] ?? m[2], port };
}

/** Parses a non-negative integer option within [min, max]; exits naming the option when out of bounds. */
export function intOption(values, name, fallback, min, max) {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`);
  return n;
}

/** parseArgs with the options every workload shares (--max-lifetime-ms, --exit) added. */
export function parseWorkloadArgs(options) {
  try {
    return parseArgs({
      options: {
        ...options,
        // Hard cap on how long the workload lives even when nobody kills it.
        'max-lifetime-ms': { type: 'string' },
        // Exit as soon as the work is done instead of holding sockets until killed.
        exit: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

/** Starts the lifetime guard: a referenced timer, so the workload stays alive (holding sockets) until then. */
export function startLifetimeGuard(values) {
  const ms = intOption(values, 'max-lifetime-ms', 120_000, 100, 600_000);
  setTimeout(() => {
    emit({ exiting: 'max-lifetime', afterMs: ms });
    process.exit(0);
  }, ms);
}

/** Ends the workload after its work when --exit was given (the guard otherwise keeps it alive). */
export function finish(values) {
  if (values.exit) process.exit(0);
}

/** The error code of a failed connect (EADDRNOTAVAIL, EADDRINUSE, ECONNREFUSED, ETIMEDOUT…). */
export function errorCode(err) {
  return (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') ? err.code : String(err);
}

/** Adds one to codes[code]. */
export function countCode(codes, code) {
  codes[code] = (codes[code] ?? 0) + 1;
}

/** One connect with net.connect(options); resolves with { socket } or { code } (ETIMEDOUT after timeoutMs). */
export function connectOnce(options, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect(options);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ code: 'ETIMEDOUT' });
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve({ socket });
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ code: errorCode(e) });
    });
  });
}

/**
 * Makes `count` connects one after the other and keeps the successful sockets open, emitting
 * {"connected":i,"localPort":p,"at":ms} or {"failed":i,"code":...,"at":ms} per attempt (at: epoch ms
 * when the attempt ended), then {"done":true,...}. onSocket (optional) sees each connected socket.
 * everyMs > 0 paces the attempts: attempt i starts everyMs × (i − 1) after the first (slow growth at a
 * known rate). Returns the held sockets.
 */
export async function connectAndHold(count, options, timeoutMs, onSocket, everyMs = 0) {
  const held = [];
  const codes = {};
  let connected = 0;
  let failed = 0;
  const t0 = Date.now();
  for (let i = 1; i <= count; i++) {
    const wait = t0 + everyMs * (i - 1) - Date.now();
    if (everyMs > 0 && wait > 0) await new Promise((r) => setTimeout(r, wait));
    const r = await connectOnce(options, timeoutMs);
    if (r.socket) {
      connected += 1;
      r.socket.on('error', () => {});
      held.push(r.socket);
      emit({ connected: i, localPort: r.socket.localPort, at: Date.now() });
      onSocket?.(r.socket, i);
    } else {
      failed += 1;
      countCode(codes, r.code);
      emit({ failed: i, code: r.code, at: Date.now() });
    }
  }
  emit({ done: true, connected, failed, codes });
  return held;
}

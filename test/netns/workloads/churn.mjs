// Opens and closes short connections at a fixed rate; the client closes first, so every finished
// connection leaves a TIME-WAIT socket on the client side (60 s on Linux).
//   node churn.mjs --to 127.0.0.1:8080 --rate 20 --duration-ms 5000 [--timeout-ms 2000] [--exit]
//   node churn.mjs --to 127.0.0.1:8080 --at-once 120 [--timeout-ms 2000] [--exit]
// The server should be server.mjs --close peer (it closes when our FIN arrives).
// Connects are scheduled on an absolute timeline (attempt k at start + k/rate), so a slow connect does not
// shift the later ones; the total is bounded by rate × duration.
// --at-once N starts N connects in one turn of the event loop: every connect() is made before any of
// them can close, so no TIME-WAIT exists yet that the kernel could reuse. Toward a range of R ports
// exactly min(N, R) connect, however slowly the machine runs (a paced burst that stalls past
// tcp_tw_reuse_delay lets the kernel reuse its first ports, and more than R connect).
// Events: {"ready":true,"pid":N}; {"second":s,"ok":n,"failed":m,"codes":{...}} for each elapsed second;
//   {"done":true,"attempts":a,"ok":n,"failed":m,"codes":{...},"elapsedMs":t} once every attempt has ended.
import { connectOnce, countCode, emit, fail, finish, intOption, parseEndpoint, parseWorkloadArgs, startLifetimeGuard } from './common.mjs';

const values = parseWorkloadArgs({
  to: { type: 'string' },
  rate: { type: 'string' },
  'duration-ms': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'at-once': { type: 'string' },
});
const { host, port } = parseEndpoint(values.to, 'to');
const rate = intOption(values, 'rate', 10, 1, 10_000);
const durationMs = intOption(values, 'duration-ms', 1_000, 1, 300_000);
const timeoutMs = intOption(values, 'timeout-ms', 2_000, 10, 60_000);
const atOnce = intOption(values, 'at-once', 0, 0, 10_000);
if (atOnce > 0 && (values.rate !== undefined || values['duration-ms'] !== undefined)) {
  fail('--at-once starts every connect at once: give it without --rate and --duration-ms');
}
startLifetimeGuard(values);
emit({ ready: true, pid: process.pid });

const attempts = atOnce > 0 ? atOnce : Math.max(1, Math.round((rate * durationMs) / 1000));
const start = performance.now();
const total = { ok: 0, failed: 0, codes: {} };
let second = { ok: 0, failed: 0, codes: {} };
let secondIndex = 1;

const reporter = setInterval(() => {
  emit({ second: secondIndex, ...second });
  secondIndex += 1;
  second = { ok: 0, failed: 0, codes: {} };
}, 1000);

/** One connection: connect, then close our side first and wait until the socket is fully closed. */
async function oneConnection() {
  const r = await connectOnce({ host, port }, timeoutMs);
  if (!r.socket) {
    for (const c of [total, second]) {
      c.failed += 1;
      countCode(c.codes, r.code);
    }
    return;
  }
  for (const c of [total, second]) c.ok += 1;
  const socket = r.socket;
  socket.on('error', () => {});
  await new Promise((resolve) => {
    // Bounded: a server that never answers our FIN does not keep the workload waiting.
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.resume();
    socket.end(); // our FIN first: FIN-WAIT → TIME-WAIT on this side
  });
}

const running = [];
for (let k = 0; k < attempts; k++) {
  const wait = atOnce > 0 ? 0 : start + (k * 1000) / rate - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  running.push(oneConnection());
}
await Promise.all(running);
clearInterval(reporter);
if (second.ok + second.failed > 0) emit({ second: secondIndex, ...second });
emit({ done: true, attempts, ...total, elapsedMs: Math.round(performance.now() - start) });
finish(values);

// Opens N plain connects (no bind() first: the kernel picks the local port per destination) one after
// the other and holds the successful ones ESTABLISHED until killed.
//   node connect-hold.mjs --to 127.0.0.1:8080 --count 15 [--every-ms MS] [--timeout-ms 2000] [--exit] [--max-lifetime-ms MS]
// --every-ms paces the connects (one every MS: growth at a known rate); without it they go back to back.
// Events: {"ready":true,"pid":N}; {"connected":i,"localPort":p} or {"failed":i,"code":"EADDRNOTAVAIL"} per
//   attempt (i counts attempts from 1); {"done":true,"connected":n,"failed":m,"codes":{"EADDRNOTAVAIL":m}}.
import { connectAndHold, emit, finish, intOption, parseEndpoint, parseWorkloadArgs, startLifetimeGuard } from './common.mjs';

const values = parseWorkloadArgs({
  to: { type: 'string' },
  count: { type: 'string' },
  'timeout-ms': { type: 'string' },
  'every-ms': { type: 'string' },
});
const { host, port } = parseEndpoint(values.to, 'to');
const count = intOption(values, 'count', 1, 1, 100_000);
const timeoutMs = intOption(values, 'timeout-ms', 2_000, 10, 60_000);
const everyMs = intOption(values, 'every-ms', 0, 0, 60_000);
startLifetimeGuard(values);
emit({ ready: true, pid: process.pid });

await connectAndHold(count, { host, port }, timeoutMs, undefined, everyMs);
finish(values);

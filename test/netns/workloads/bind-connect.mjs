// Opens N connects that bind() to port 0 BEFORE connect(), and holds them ESTABLISHED until killed.
//   node bind-connect.mjs --to 127.0.0.1:8080 --count 10 [--bind 127.0.0.1] [--timeout-ms 2000] [--exit]
//
// Why this is true bind-before-connect: net.connect({ localAddress, localPort: 0 }) makes Node call
// uv_tcp_bind() and so bind(2) with port 0 before connect(2); libuv does not set IP_BIND_ADDRESS_NO_PORT,
// so the kernel picks the port at bind() time, without knowing the destination, and takes it exclusively.
// Checked in a namespace with a 10-port range: 10 such connects to 127.0.0.1:8080 succeed and the 11th,
// toward 127.0.0.1:8081 (a new destination), fails with EADDRINUSE, while plain connects get 10 + 10.
// The scenario test bind-before-connect.test.ts proves it again on every run.
//
// Events: {"ready":true,"pid":N}; {"connected":i,"localPort":p} or {"failed":i,"code":"EADDRINUSE"} per
//   attempt; {"done":true,"connected":n,"failed":m,"codes":{...}}.
import { connectAndHold, emit, finish, intOption, parseEndpoint, parseWorkloadArgs, startLifetimeGuard } from './common.mjs';

const values = parseWorkloadArgs({
  to: { type: 'string' },
  count: { type: 'string' },
  bind: { type: 'string' },
  'timeout-ms': { type: 'string' },
});
const { host, port } = parseEndpoint(values.to, 'to');
const count = intOption(values, 'count', 1, 1, 100_000);
const timeoutMs = intOption(values, 'timeout-ms', 2_000, 10, 60_000);
const localAddress = values.bind ?? (host.includes(':') ? '::' : '0.0.0.0');
startLifetimeGuard(values);
emit({ ready: true, pid: process.pid });

await connectAndHold(count, { host, port, localAddress, localPort: 0 }, timeoutMs);
finish(values);

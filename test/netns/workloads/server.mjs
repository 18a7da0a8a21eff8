// A TCP server for namespace scenarios.
//   node server.mjs --listen 127.0.0.1:8080 [--listen [::1]:8080 ...] [--close peer|immediate|after=MS]
//                   [--max-connections N] [--max-lifetime-ms MS]
// --close peer (default): hold each accepted socket until the client closes (Node then closes ours,
//   so the client, which closed first, keeps the TIME-WAIT).
// --close immediate: close right after accept (the server closes first: a client that never closes its
//   side sits in CLOSE-WAIT).
// --close after=MS: close MS milliseconds after accept.
// Events: {"listening":"127.0.0.1:8080"} per address, then {"ready":true,"pid":N};
//   {"accepted":n,"remote":"ip:port"} per connection; {"refused":n} beyond --max-connections.
import net from 'node:net';
import { emit, fail, intOption, parseEndpoint, parseWorkloadArgs, startLifetimeGuard } from './common.mjs';

const values = parseWorkloadArgs({
  listen: { type: 'string', multiple: true },
  close: { type: 'string', default: 'peer' },
  'max-connections': { type: 'string' },
});
const endpoints = (values.listen ?? []).map((l) => parseEndpoint(l, 'listen'));
if (endpoints.length === 0) fail('give at least one --listen host:port');
const closeMode = /^(peer|immediate|after=(\d{1,6}))$/.exec(values.close);
if (!closeMode) fail(`--close must be peer, immediate or after=MS, got ${JSON.stringify(values.close)}`);
const closeAfterMs = closeMode[2] === undefined ? null : Number(closeMode[2]);
const maxConnections = intOption(values, 'max-connections', 100_000, 1, 1_000_000);
startLifetimeGuard(values);

let accepted = 0;
let refused = 0;

function onConnection(socket) {
  socket.on('error', () => {}); // resets from clients that go away are expected
  if (accepted >= maxConnections) {
    refused += 1;
    emit({ refused });
    socket.destroy();
    return;
  }
  accepted += 1;
  emit({ accepted, remote: `${socket.remoteAddress}:${socket.remotePort}` });
  if (closeMode[1] === 'immediate') socket.end();
  else if (closeAfterMs !== null) setTimeout(() => socket.end(), closeAfterMs);
  // peer: nothing to do; allowHalfOpen is false, so Node ends our side when the client's FIN arrives.
}

await Promise.all(
  endpoints.map(
    ({ host, port }) =>
      new Promise((resolve) => {
        const server = net.createServer(onConnection);
        server.on('error', (e) => fail(`cannot listen on ${host}:${port}: ${e.message}`));
        // A large backlog so that bursts of connects in a scenario are never dropped by the listen queue.
        server.listen({ host, port, backlog: 4096, ipv6Only: host.includes(':') }, () => {
          emit({ listening: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}` });
          resolve();
        });
      }),
  ),
);
emit({ ready: true, pid: process.pid });

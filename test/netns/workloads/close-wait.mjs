// A leaky client: opens N connects to a server that closes them (server.mjs --close immediate) and never
// closes its own side, so every socket sits in CLOSE-WAIT on the client until the process is killed.
//   node close-wait.mjs --to 127.0.0.1:8080 --count 5 [--timeout-ms 2000] [--exit]
// allowHalfOpen keeps Node from ending our side automatically when the server's FIN arrives.
// Events: {"ready":true,"pid":N}; per attempt {"connected":i,...} / {"failed":i,...}; {"done":true,...};
//   {"peerClosed":n} each time the server's FIN arrives (that socket is now in CLOSE-WAIT).
import { connectAndHold, emit, finish, intOption, parseEndpoint, parseWorkloadArgs, startLifetimeGuard } from './common.mjs';

const values = parseWorkloadArgs({
  to: { type: 'string' },
  count: { type: 'string' },
  'timeout-ms': { type: 'string' },
});
const { host, port } = parseEndpoint(values.to, 'to');
const count = intOption(values, 'count', 1, 1, 100_000);
const timeoutMs = intOption(values, 'timeout-ms', 2_000, 10, 60_000);
startLifetimeGuard(values);
emit({ ready: true, pid: process.pid });

let peerClosed = 0;
await connectAndHold(count, { host, port, allowHalfOpen: true }, timeoutMs, (socket) => {
  socket.on('end', () => {
    peerClosed += 1;
    emit({ peerClosed });
  });
  socket.resume(); // read to the FIN, so that 'end' fires
});
finish(values);

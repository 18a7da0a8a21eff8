// Runs inside a network namespace: accepts connections on a Unix socket (file-system sockets are not
// network-namespaced, so the host can reach it) and pipes each to 127.0.0.1:<port> inside the namespace.
// Usage: node forward-inside.mjs <socket path> <port>[,<port>…]  (one socket per port: <path>.<port>)
import net from 'node:net';
import { rmSync } from 'node:fs';

const [base, ports] = process.argv.slice(2);
for (const port of ports.split(',').map(Number)) {
  const path = `${base}.${port}`;
  rmSync(path, { force: true });
  net
    .createServer((outer) => {
      const inner = net.connect(port, '127.0.0.1');
      outer.pipe(inner).pipe(outer);
      const end = () => {
        outer.destroy();
        inner.destroy();
      };
      outer.on('error', end);
      inner.on('error', end);
    })
    .listen(path, () => process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`));
}
setTimeout(() => process.exit(0), 600_000).unref(); // bounded, in case nobody kills it

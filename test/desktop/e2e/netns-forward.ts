// Playwright's Electron driver connects to the app's Node inspector and DevTools over TCP on 127.0.0.1,
// which, for an app inside a network namespace, is the namespace's loopback: out of the host's reach.
// This forwards fixed ports from the host's loopback into the namespace through Unix sockets (which are
// not network-namespaced): host 127.0.0.1:P → <dir>/fwd.P → (forward-inside.mjs in the namespace) → ns 127.0.0.1:P.
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Namespace } from '../../netns/netns.js';

/** A free TCP port on the host's loopback (the namespace's loopback is fresh: it is free there too). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Forwards each port from the host into the namespace; returns the function that stops the host side. */
export async function forwardIntoNamespace(ns: Namespace, ports: readonly number[]): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-fwd-'));
  const base = join(dir, 'fwd');
  const inside = ns.spawn([process.execPath, fileURLToPath(new URL('./forward-inside.mjs', import.meta.url)), base, ports.join(',')]);
  for (const port of ports) await inside.waitForEvent((e) => e.ready === true && e.port === port, 10_000);
  const servers = await Promise.all(
    ports.map(
      (port) =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer((outer) => {
            const inner = net.connect(`${base}.${port}`);
            outer.pipe(inner).pipe(outer);
            const end = (): void => {
              outer.destroy();
              inner.destroy();
            };
            outer.on('error', end);
            inner.on('error', end);
          });
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  return () => {
    for (const s of servers) s.close();
    inside.kill();
  };
}

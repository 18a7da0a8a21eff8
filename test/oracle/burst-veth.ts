// Two namespaces joined by a veth pair (client 198.18.0.1 ↔ server 198.18.0.2, the RFC 2544 benchmark
// range, inside the namespaces only): a destination that is not loopback, so tcp_tw_reuse=2 does not apply.
import { spawnSync } from 'node:child_process';
import type { Namespace } from '../netns/netns.js';

export const VETH_CLIENT = '198.18.0.1';
export const VETH_SERVER = '198.18.0.2';

/** Creates the veth pair, moves one end into each namespace, addresses and raises both (the pair goes with the namespaces). */
export async function joinByVeth(client: Namespace, server: Namespace): Promise<void> {
  const a = `pwtta${process.pid % 100000}`;
  const b = `pwttb${process.pid % 100000}`;
  const host = spawnSync('ip', ['link', 'add', a, 'type', 'veth', 'peer', 'name', b], { encoding: 'utf8', timeout: 5_000 });
  if (host.status !== 0) throw new Error(`ip link add ${a} type veth failed: ${host.stderr}`);
  for (const [end, ns] of [[a, client], [b, server]] as const) {
    const moved = spawnSync('ip', ['link', 'set', end, 'netns', ns.name], { encoding: 'utf8', timeout: 5_000 });
    if (moved.status !== 0) throw new Error(`ip link set ${end} netns ${ns.name} failed: ${moved.stderr}`);
  }
  await client.execOrThrow(['ip', 'addr', 'add', `${VETH_CLIENT}/30`, 'dev', a]);
  await client.execOrThrow(['ip', 'link', 'set', a, 'up']);
  await server.execOrThrow(['ip', 'addr', 'add', `${VETH_SERVER}/30`, 'dev', b]);
  await server.execOrThrow(['ip', 'link', 'set', b, 'up']);
}

// The remote exhaustion the SSH tests look at: inside the sshd pair's server namespace, a 10-port range
// and 14 connects toward 127.0.0.1:8080, so 10 are held and 4 refused by the kernel (EADDRNOTAVAIL).
import { workloadPath } from '../netns/workloads.js';
import type { SshdPair } from './sshd-pair.js';

/** What the connecting client reported: its pid, how many connected, errno counts of the refused ones. */
export interface RemoteHold {
  pid: number;
  connected: number;
  codes: Record<string, number>;
}

/** Exhausts the server namespace's range toward 127.0.0.1:8080; the workloads live 10 minutes at most. */
export async function exhaustRemote(pair: SshdPair): Promise<RemoteHold> {
  await pair.server.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
  // Started here rather than through workloads.ts so that they outlive the whole test file (bounded).
  const lifetime = ['--max-lifetime-ms', '600000'];
  const server = pair.server.spawn([process.execPath, workloadPath('server'), '--listen', '127.0.0.1:8080', '--close', 'peer', ...lifetime]);
  await server.waitForEvent((e) => e.ready === true, 10_000);
  const p = pair.server.spawn([process.execPath, workloadPath('connect-hold'), '--to', '127.0.0.1:8080', '--count', '14', ...lifetime]);
  const done = await p.waitForEvent((e) => e.done === true, 20_000);
  return { pid: p.pid, connected: Number(done.connected), codes: (done.codes ?? {}) as Record<string, number> };
}

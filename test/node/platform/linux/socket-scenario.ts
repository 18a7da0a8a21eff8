// A known set of loopback TCP sockets, every port fixed, so that tests and fixture captures can name
// every row exactly: listeners (IPv4, IPv6, dual-stack), ESTABLISHED pairs (IPv4, IPv6, IPv4-mapped),
// TIME-WAIT (client closed first), CLOSE-WAIT / FIN-WAIT-2 (server closed first, client never closes).
//
// Run inside a network namespace (a fresh one: the fixed ports must be free):
//   ip netns exec NS node --import tsx test/node/platform/linux/socket-scenario.ts [--max-lifetime-ms MS]
// It prints {"ready":true,"pid":N} once every socket is in its state, then holds them until killed.
import net from 'node:net';
import { pathToFileURL } from 'node:url';
import type { TcpStateName } from '../../../../electron/common/tcp-state.js';

/** One expected socket, as ss would print it (ports fixed, addresses in ss spelling). */
export interface ScenarioRow {
  family: 4 | 6;
  state: TcpStateName;
  local: string;
  localPort: number;
  remote: string;
  remotePort: number;
}

const V4 = '127.0.0.1';
const V6 = '::1';
const MAPPED = '::ffff:127.0.0.1';

/** Every socket the scenario process holds once ready. */
export const SCENARIO_ROWS: readonly ScenarioRow[] = [
  { family: 4, state: 'LISTEN', local: V4, localPort: 7001, remote: '0.0.0.0', remotePort: 0 },
  { family: 6, state: 'LISTEN', local: V6, localPort: 7002, remote: '::', remotePort: 0 },
  { family: 6, state: 'LISTEN', local: '::', localPort: 7003, remote: '::', remotePort: 0 },
  // A: IPv4 established, both ends
  { family: 4, state: 'ESTABLISHED', local: V4, localPort: 41001, remote: V4, remotePort: 7001 },
  { family: 4, state: 'ESTABLISHED', local: V4, localPort: 7001, remote: V4, remotePort: 41001 },
  // B: IPv6 established, both ends
  { family: 6, state: 'ESTABLISHED', local: V6, localPort: 41002, remote: V6, remotePort: 7002 },
  { family: 6, state: 'ESTABLISHED', local: V6, localPort: 7002, remote: V6, remotePort: 41002 },
  // C: an IPv4 client of the dual-stack listener: its accepted end is an IPv6 socket with mapped addresses
  { family: 4, state: 'ESTABLISHED', local: V4, localPort: 41003, remote: V4, remotePort: 7003 },
  { family: 6, state: 'ESTABLISHED', local: MAPPED, localPort: 7003, remote: MAPPED, remotePort: 41003 },
  // D, E: the client closed first and keeps the TIME-WAIT (no owner, no inode)
  { family: 4, state: 'TIME-WAIT', local: V4, localPort: 41004, remote: V4, remotePort: 7001 },
  { family: 6, state: 'TIME-WAIT', local: V6, localPort: 41005, remote: V6, remotePort: 7002 },
  // F, G: the server closed first, the client never closes: CLOSE-WAIT at the client, FIN-WAIT-2 at the server
  { family: 4, state: 'CLOSE-WAIT', local: V4, localPort: 41006, remote: V4, remotePort: 7001 },
  { family: 4, state: 'FIN-WAIT-2', local: V4, localPort: 7001, remote: V4, remotePort: 41006 },
  { family: 6, state: 'CLOSE-WAIT', local: V6, localPort: 41007, remote: V6, remotePort: 7002 },
  { family: 6, state: 'FIN-WAIT-2', local: V6, localPort: 7002, remote: V6, remotePort: 41007 },
];

/** Client ports whose connection the server closes first (F, G). */
const SERVER_CLOSES = new Set([41006, 41007]);

/** Bound-only sockets (bind() without listen/connect), made by a helper process: Node cannot make them. */
export const BOUND_ROWS: readonly ScenarioRow[] = [
  { family: 4, state: 'BOUND', local: V4, localPort: 7009, remote: '0.0.0.0', remotePort: 0 },
  { family: 6, state: 'BOUND', local: V6, localPort: 7010, remote: '::', remotePort: 0 },
];

/** A python3 program that binds BOUND_ROWS and sleeps until killed (at most `seconds`). */
export function boundOnlyProgram(seconds: number): string[] {
  const code = [
    'import socket, sys, time',
    `a = socket.socket(socket.AF_INET); a.bind(("${V4}", 7009))`,
    `b = socket.socket(socket.AF_INET6); b.bind(("${V6}", 7010))`,
    'print("ready", flush=True)',
    `time.sleep(${Math.max(1, Math.floor(seconds))})`,
  ].join('\n');
  return ['python3', '-c', code];
}

function listen(host: string, port: number, ipv6Only: boolean, onSocket: (s: net.Socket) => void): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer({ allowHalfOpen: true }, onSocket);
    server.once('error', reject);
    server.listen({ host, port, ipv6Only, backlog: 64 }, () => resolve(server));
  });
}

function connect(host: string, port: number, localAddress: string, localPort: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    // allowHalfOpen: when the server closes first, this end stays in CLOSE-WAIT instead of closing too
    const s = net.connect({ host, port, localAddress, localPort, allowHalfOpen: true });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

function closed(s: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    s.once('close', () => resolve());
    s.end();
  });
}

/** Creates the scenario's sockets in this process (and network namespace); resolves when all are in place. */
export async function buildScenario(): Promise<{ close(): void }> {
  const held: net.Socket[] = [];
  const ended: Promise<void>[] = [];
  const onSocket = (s: net.Socket): void => {
    s.on('error', () => undefined);
    held.push(s);
    if (SERVER_CLOSES.has(s.remotePort ?? 0)) {
      s.end(); // our FIN first: the client goes to CLOSE-WAIT, we to FIN-WAIT-2 once it acknowledges
    } else {
      // the client closing first: answer with our FIN (allowHalfOpen keeps us from doing it by ourselves)
      s.on('end', () => s.end());
    }
  };
  const servers = [
    await listen(V4, 7001, false, onSocket),
    await listen(V6, 7002, true, onSocket),
    await listen('::', 7003, false, onSocket),
  ];
  held.push(await connect(V4, 7001, V4, 41001));
  held.push(await connect(V6, 7002, V6, 41002));
  held.push(await connect(V4, 7003, V4, 41003));
  ended.push(closed(await connect(V4, 7001, V4, 41004)));
  ended.push(closed(await connect(V6, 7002, V6, 41005)));
  for (const [host, port, localPort] of [[V4, 7001, 41006], [V6, 7002, 41007]] as const) {
    const s = await connect(host, port, host, localPort);
    s.on('error', () => undefined);
    held.push(s);
    ended.push(new Promise((resolve) => s.once('end', () => resolve()))); // the server's FIN has arrived
  }
  await Promise.all(ended);
  return {
    close(): void {
      for (const s of held) s.destroy();
      for (const srv of servers) srv.close();
    },
  };
}

/** ss's row key: "STATE local:port remote:port" (IPv6 in brackets), for set comparisons. */
export function rowKey(r: Pick<ScenarioRow, 'state' | 'local' | 'localPort' | 'remote' | 'remotePort'>): string {
  const ep = (a: string, p: number): string => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);
  return `${r.state} ${ep(r.local, r.localPort)} ${ep(r.remote, r.remotePort)}`;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--max-lifetime-ms');
  const lifetimeMs = i > 0 ? Number(process.argv[i + 1]) : 120_000;
  // Bounded even when nobody kills it.
  setTimeout(() => process.exit(0), Number.isFinite(lifetimeMs) && lifetimeMs > 0 ? lifetimeMs : 120_000);
  await buildScenario();
  // FIN-WAIT-2 is reached when the client's ACK of our FIN is processed: give loopback a moment.
  await new Promise((r) => setTimeout(r, 100));
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stdout.write(`${JSON.stringify({ error: e instanceof Error ? e.message : String(e) })}\n`);
    process.exit(2);
  });
}

// A client that makes a known number of connect()s fail for lack of a port, for the tracer's tests: in a
// namespace whose range is narrowed to HELD ports it listens on 127.0.0.1:PORT (and [::1]:PORT), makes
// connects until HELD succeed and FAIL more fail with EADDRNOTAVAIL, prints one JSON line
// {pid, netns, results} and holds its connections for a moment before it exits (bounded by LINGER ms).
import type { Namespace } from './netns.js';

const SCRIPT = `
const net = require('net'); const fs = require('fs');
const [port, total, host, linger] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3], Number(process.argv[4])];
const connect = () => new Promise((r) => { const s = net.connect(port, host); s.on('connect', () => r('ok')); s.on('error', (e) => r(e.code)); });
net.createServer(() => {}).listen(port, host, async () => {
  const out = { pid: process.pid, netns: Number(/\\[(\\d+)\\]/.exec(fs.readlinkSync('/proc/self/ns/net'))[1]), results: [] };
  for (let i = 0; i < total; i++) out.results.push(await connect());
  process.stdout.write(JSON.stringify(out) + '\\n');
  setTimeout(() => process.exit(0), linger);
});`;

/** What the client did. */
export interface FailingClientResult {
  pid: number;
  netns: number;
  /** 'ok' or the error code of each connect, in order. */
  results: string[];
}

/** Runs the client in ns (whose range must already be narrowed) and resolves once it has printed. */
export async function runFailingClient(ns: Namespace, o: { port: number; total: number; host?: string; lingerMs?: number }): Promise<FailingClientResult> {
  const r = await ns.execOrThrow([process.execPath, '-e', SCRIPT, String(o.port), String(o.total), o.host ?? '127.0.0.1', String(o.lingerMs ?? 500)], { timeoutMs: 30_000 });
  return JSON.parse(r.stdout) as FailingClientResult;
}

/** How many of the client's connects failed with EADDRNOTAVAIL. */
export function notAvailable(r: FailingClientResult): number {
  return r.results.filter((x) => x === 'EADDRNOTAVAIL').length;
}

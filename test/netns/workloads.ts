// Typed starters for the plain-Node workloads in ./workloads/*.mjs, each run inside a namespace as
// `ip netns exec NS node workloads/<name>.mjs …`. Each starter waits for the workload's own report
// (ready, or done) and returns the process, which keeps its sockets until killed (or ns.destroy()).
import { fileURLToPath } from 'node:url';
import type { Namespace, NsProcess } from './netns.js';

/** Absolute path of a workload script. */
export function workloadPath(name: 'server' | 'connect-hold' | 'bind-connect' | 'churn' | 'close-wait'): string {
  return fileURLToPath(new URL(`./workloads/${name}.mjs`, import.meta.url));
}

/** What connect-hold / bind-connect / close-wait report when every attempt has ended. */
export interface ConnectReport {
  process: NsProcess;
  connected: number;
  failed: number;
  /** Failures by error code, e.g. { EADDRNOTAVAIL: 5 }. */
  codes: Record<string, number>;
  /** Local ports of the connected sockets, in order. */
  localPorts: number[];
}

/** Per-second and final figures of a churn run. */
export interface ChurnReport {
  process: NsProcess;
  attempts: number;
  ok: number;
  failed: number;
  codes: Record<string, number>;
  elapsedMs: number;
  seconds: { second: number; ok: number; failed: number; codes: Record<string, number> }[];
}

// Workloads end themselves after this long even if nobody kills them (tests take seconds).
const MAX_LIFETIME_MS = '120000';
const READY_TIMEOUT_MS = 10_000;

function start(ns: Namespace, name: Parameters<typeof workloadPath>[0], args: string[]): NsProcess {
  return ns.spawn([process.execPath, workloadPath(name), ...args, '--max-lifetime-ms', MAX_LIFETIME_MS]);
}

/** Starts server.mjs listening on every endpoint ("127.0.0.1:8080", "[::1]:8080") and waits until it listens. */
export async function startServer(
  ns: Namespace,
  listen: readonly string[],
  opts: { close?: 'peer' | 'immediate' | `after=${number}` } = {},
): Promise<NsProcess> {
  const p = start(ns, 'server', [...listen.flatMap((l) => ['--listen', l]), '--close', opts.close ?? 'peer']);
  await p.waitForEvent((e) => e.ready === true, READY_TIMEOUT_MS);
  return p;
}

async function connectWorkload(ns: Namespace, name: 'connect-hold' | 'bind-connect' | 'close-wait', args: string[], timeoutMs: number): Promise<ConnectReport> {
  const p = start(ns, name, args);
  const done = await p.waitForEvent((e) => e.done === true, timeoutMs);
  return {
    process: p,
    connected: Number(done.connected),
    failed: Number(done.failed),
    codes: (done.codes ?? {}) as Record<string, number>,
    localPorts: p.events.filter((e) => typeof e.connected === 'number' && e.done !== true).map((e) => Number(e.localPort)),
  };
}

/** Plain connects (the kernel picks the port per destination), held open: connect-hold.mjs. */
export function connectHold(ns: Namespace, to: string, count: number, timeoutMs = 20_000): Promise<ConnectReport> {
  return connectWorkload(ns, 'connect-hold', ['--to', to, '--count', String(count)], timeoutMs);
}

/**
 * Slow growth at a known rate: one plain connect toward `to` every `everyMs`, `count` attempts, each held
 * open (connect-hold.mjs --every-ms). Returns at once; events carry `at` (epoch ms) for each attempt.
 */
export async function connectGrow(ns: Namespace, to: string, count: number, everyMs: number, lifetimeMs = 180_000): Promise<NsProcess> {
  const p = ns.spawn([process.execPath, workloadPath('connect-hold'), '--to', to, '--count', String(count), '--every-ms', String(everyMs), '--max-lifetime-ms', String(lifetimeMs)]);
  await p.waitForEvent((e) => e.ready === true, READY_TIMEOUT_MS);
  return p;
}

/** bind(port 0) before connect (the port is taken for every destination), held open: bind-connect.mjs. */
export function bindConnect(ns: Namespace, to: string, count: number, opts: { bind?: string; timeoutMs?: number } = {}): Promise<ConnectReport> {
  const args = ['--to', to, '--count', String(count), ...(opts.bind === undefined ? [] : ['--bind', opts.bind])];
  return connectWorkload(ns, 'bind-connect', args, opts.timeoutMs ?? 20_000);
}

/**
 * Connects to a server that closes first and never closes our side (close-wait.mjs); resolves once every
 * connected socket has seen the server's FIN, i.e. sits in CLOSE-WAIT.
 */
export async function closeWait(ns: Namespace, to: string, count: number, timeoutMs = 20_000): Promise<ConnectReport> {
  const r = await connectWorkload(ns, 'close-wait', ['--to', to, '--count', String(count)], timeoutMs);
  if (r.connected > 0) await r.process.waitForEvent((e) => e.peerClosed === r.connected, timeoutMs);
  return r;
}

/** Starts churn.mjs (connect, close first → client TIME-WAIT) without waiting for it to finish. */
export function startChurn(ns: Namespace, to: string, ratePerSec: number, durationMs: number): NsProcess {
  return start(ns, 'churn', ['--to', to, '--rate', String(ratePerSec), '--duration-ms', String(durationMs)]);
}

/** Runs churn.mjs to the end and returns its figures. */
export async function churn(ns: Namespace, to: string, ratePerSec: number, durationMs: number): Promise<ChurnReport> {
  const p = startChurn(ns, to, ratePerSec, durationMs);
  return churnReport(p, durationMs + 15_000);
}

/**
 * `count` connects started at once (churn.mjs --at-once), each closed as soon as it connects: every
 * connect() is made before the first close, so toward a range of R ports exactly min(count, R) connect
 * however slowly the machine runs. A paced burst (churn at a high rate) that stalls past
 * tcp_tw_reuse_delay lets the kernel reuse its first TIME-WAIT ports, and more than R connect.
 */
export async function burst(ns: Namespace, to: string, count: number): Promise<ChurnReport> {
  const p = start(ns, 'churn', ['--to', to, '--at-once', String(count)]);
  return churnReport(p, 15_000);
}

/** Waits for a churn process's final report. */
export async function churnReport(p: NsProcess, timeoutMs: number): Promise<ChurnReport> {
  const done = await p.waitForEvent((e) => e.done === true, timeoutMs);
  return {
    process: p,
    attempts: Number(done.attempts),
    ok: Number(done.ok),
    failed: Number(done.failed),
    codes: (done.codes ?? {}) as Record<string, number>,
    elapsedMs: Number(done.elapsedMs),
    seconds: p.events
      .filter((e) => typeof e.second === 'number')
      .map((e) => ({ second: Number(e.second), ok: Number(e.ok), failed: Number(e.failed), codes: (e.codes ?? {}) as Record<string, number> })),
  };
}

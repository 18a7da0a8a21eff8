// The C connect() load (test/bench/connect-load.c) for the tracer's bench and its exact-count test: built
// once with the system's cc, run inside a namespace, bounded by time and by a number of calls. In "fail"
// mode it first holds HOLD connections (the namespace's range must be narrowed to HOLD ports), so every
// further connect() fails with EADDRNOTAVAIL as fast as one thread can make it; it counts what the
// kernel answered itself and prints it as one JSON line.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Namespace } from './netns.js';

const SOURCE = fileURLToPath(new URL('../bench/connect-load.c', import.meta.url));

/** What one run of the load did, as the client counted it. */
export interface ConnectLoadResult {
  calls: number;
  ok: number;
  failed: number;
  /** connect() calls that failed with EADDRNOTAVAIL. */
  eaddrnotavail: number;
  seconds: number;
  /** The client's own user + system CPU seconds. */
  cpu: number;
  pid: number;
}

/** Why the load cannot be built here (no cc), or null when it can. */
export function connectLoadUnavailable(): string | null {
  const cc = spawnSync('cc', ['--version'], { timeout: 10_000 });
  return cc.status === 0 ? null : 'a C compiler (cc) is needed for the connect() load';
}

/** Compiles connect-load.c into dir; returns the binary's path or throws with the compiler's message. */
export function buildConnectLoad(dir: string): string {
  const binary = join(dir, 'connect-load');
  const built = spawnSync('cc', ['-O2', '-o', binary, SOURCE], { encoding: 'utf8', timeout: 60_000 });
  if (built.status !== 0) throw new Error(`cc connect-load.c failed: ${built.stderr || built.error?.message || `status ${built.status}`}`);
  return binary;
}

/** Options of one run: the listener's port, at most `seconds` (≤ 120) and at most `maxCalls` connects. */
export interface ConnectLoadOptions {
  port: number;
  seconds: number;
  maxCalls: number;
  mode: 'ok' | 'fail';
  /** Connections held before the failing loop (the namespace's range size). */
  hold?: number;
  /** Pin the client to this CPU (taskset), so it does not migrate mid-run. */
  cpu?: number;
}

/** Runs the load in ns and resolves with its own count once it has ended. */
export async function runConnectLoad(ns: Namespace, binary: string, o: ConnectLoadOptions): Promise<ConnectLoadResult> {
  const p = ns.spawn([...(o.cpu === undefined ? [] : ['taskset', '-c', String(o.cpu)]), binary, String(o.port), String(o.seconds), String(o.maxCalls), o.mode, String(o.hold ?? 0)]);
  const line = await p.waitForLine(/^\{"calls"/, (o.seconds + 30) * 1000);
  const exit = await p.wait(10_000);
  if (exit.code !== 0) throw new Error(`connect-load ended with ${exit.code ?? exit.signal}: ${p.stderr}`);
  return { ...(JSON.parse(line) as Omit<ConnectLoadResult, 'pid'>), pid: p.pid };
}

// The oracle's hands: portctl.c (compiled here with gcc, once per test process) run inside a namespace.
// It makes the sockets Node's net module cannot (bound-only, IP_BIND_ADDRESS_NO_PORT) and asks the
// kernel how many more connects it allows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Namespace, NsProcess } from '../netns/netns.js';

/** How portctl opens its sockets (see portctl.c). */
export type PortctlMode = 'bind-only' | 'bind-connect' | 'nobind-connect' | 'connect';

/** What one portctl run did. */
export interface PortctlReport {
  process: NsProcess;
  ok: number;
  failed: number;
  /** The first failure's errno name, '' when none. */
  code: string;
  localPorts: number[];
}

let binary: string | undefined;

/** Compiles portctl.c once per process into a temporary directory; throws with gcc's output when it fails. */
export function portctlBinary(): string {
  if (binary) return binary;
  const dir = mkdtempSync(join(tmpdir(), 'pw-portctl-'));
  const out = join(dir, 'portctl');
  const src = fileURLToPath(new URL('./portctl.c', import.meta.url));
  const r = spawnSync('gcc', ['-O1', '-Wall', '-Wextra', '-Werror', '-o', out, src], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`gcc could not build ${src}: ${r.error?.message ?? r.stderr}`);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  binary = out;
  return out;
}

/** Runs portctl inside the namespace and waits for its report; its sockets stay open until it is killed. */
export async function portctl(
  ns: Namespace,
  mode: PortctlMode,
  opts: { count: number; to?: string; src?: string; untilFail?: boolean; idle?: number },
): Promise<PortctlReport> {
  const argv = [portctlBinary(), mode, '--count', String(opts.count), '--max-lifetime-s', '120'];
  if (opts.to) argv.push('--to', opts.to);
  if (opts.src) argv.push('--src', opts.src);
  if (opts.untilFail) argv.push('--until-fail');
  if (opts.idle) argv.push('--idle', String(opts.idle));
  const p = ns.spawn(argv);
  const done = await p.waitForEvent((e) => e.done === true, 20_000);
  return {
    process: p,
    ok: Number(done.ok),
    failed: Number(done.failed),
    code: String(done.code),
    localPorts: p.events.filter((e) => typeof e.ok === 'number' && e.done !== true).map((e) => Number(e.localPort)),
  };
}

/** Plain connects toward `to` (from `src`, with IP_BIND_ADDRESS_NO_PORT, when given) until the kernel refuses one. */
export async function connectsUntilFailure(ns: Namespace, to: string, src?: string, limit = 2_000): Promise<PortctlReport> {
  const r = await portctl(ns, 'connect', { count: limit, to, ...(src ? { src } : {}), untilFail: true });
  if (r.failed !== 1) throw new Error(`the kernel accepted ${r.ok} connects toward ${to} and never refused one (limit ${limit})`);
  return r;
}

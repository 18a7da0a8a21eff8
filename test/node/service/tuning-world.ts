// A machine for the tuning host's tests: a proc root of plain files holding the kernel values, a temporary
// sysctl configuration root and state directory, the real helper (its TypeScript source through tsx, run
// directly as root) writing them, and a MonitorService whose tuning side plans from a PlanInput that
// follows the proc files. No bundler: the renderer's jsdom tests use it too.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MonitorEvent, RequestContext, ResponseMessage } from '../../../electron/common/contract.js';
import type { PortRange } from '../../../electron/common/model.js';
import { MonitorService } from '../../../electron/node/service/monitor-service.js';
import type { TuningHostOptions } from '../../../electron/node/service/tuning-host.js';
import type { PlanInput } from '../../../electron/node/tuning/plan-input.js';
import { TuningClient } from '../../../electron/node/tuning/tuning-client.js';
import { input as planInput, kernel } from '../tuning/plan-fixtures.js';
import { ManualSampler, makeSample } from './make-sample.js';

/** The repository (from a string path: under the renderer's jsdom project the global URL is jsdom's, which node:url does not take). */
const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The helper's TypeScript entry point and the tsx loader that runs it. */
const HELPER_ENTRY = join(REPO, 'electron/helper/portwatch-helper.ts');
const TSX_LOADER = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

/** A temporary system: configuration root (with etc/sysctl.d) and the helper's state directory. */
export interface TestRoot {
  dir: string;
  /** The drop-in's real path inside the configuration root. */
  dropIn: string;
  /** Environment that points the helper at this root. */
  env: Record<string, string>;
  remove(): Promise<void>;
}

async function createTestRoot(): Promise<TestRoot> {
  const dir = await mkdtemp(join(tmpdir(), 'pw-wizard-root-'));
  const configRoot = join(dir, 'root');
  const stateDir = join(dir, 'state');
  await mkdir(join(configRoot, 'etc', 'sysctl.d'), { recursive: true });
  return {
    dir,
    dropIn: join(configRoot, 'etc', 'sysctl.d', '60-portwatch.conf'),
    env: { PORTWATCH_HELPER_CONFIG_ROOT: configRoot, PORTWATCH_HELPER_STATE_DIR: stateDir },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** One test's machine and monitor. */
export interface TuningWorld {
  root: TestRoot;
  proc: string;
  service: MonitorService;
  sampler: ManualSampler;
  events: MonitorEvent[];
  /** Sends one request (context: what the transport vouches for). */
  call(method: string, params: unknown, context?: RequestContext): Promise<ResponseMessage>;
  /** The result of a request that must succeed. */
  ok<T = unknown>(method: string, params: unknown, context?: RequestContext): Promise<T>;
  readSysctl(name: string): Promise<string>;
  writeSysctl(name: string, text: string): Promise<void>;
  /** Overrides for the planner's input (e.g. a container environment). */
  inputOver: Partial<PlanInput>;
  /** Resolves with the first event matching. */
  waitFor(match: (e: MonitorEvent) => boolean, timeoutMs?: number): Promise<MonitorEvent>;
  close(): Promise<void>;
}

/** The machine without the monitor: tuning options whose helper writes a proc root of plain files. */
export interface TuningMachine {
  root: TestRoot;
  proc: string;
  tuning: TuningHostOptions;
  inputOver: Partial<PlanInput>;
  readSysctl(name: string): Promise<string>;
  writeSysctl(name: string, text: string): Promise<void>;
  remove(): Promise<void>;
}

/** A machine: range 32768–60999, nothing reserved, tw_reuse 2, a churn sample (so the planner proposes a wider range and tw_reuse 1). */
export async function createTuningMachine(o: { allowApply: boolean; disabledReason?: string; runnerProblem?: string }): Promise<TuningMachine> {
  const root = await createTestRoot();
  const proc = join(root.dir, 'proc');
  const sysctl = (k: string) => join(proc, 'sys', 'net', 'ipv4', k);
  await mkdir(join(proc, 'sys', 'net', 'ipv4'), { recursive: true });
  await writeFile(sysctl('ip_local_port_range'), '32768\t60999\n');
  await writeFile(sysctl('ip_local_reserved_ports'), '\n');
  await writeFile(sysctl('tcp_tw_reuse'), '2\n');
  await writeFile(sysctl('ip_unprivileged_port_start'), '1024\n');
  const inputOver: Partial<PlanInput> = {};

  // The planner's input follows the proc files, so a change made behind the plan's back is seen.
  const readInput = async (): Promise<PlanInput> => {
    const [lo, hi] = (await readFile(sysctl('ip_local_port_range'), 'utf8')).trim().split(/\s+/).map(Number);
    const reservedText = (await readFile(sysctl('ip_local_reserved_ports'), 'utf8')).trim();
    const reserved: PortRange[] = reservedText === '' ? [] : reservedText.split(',').map((x) => {
      const [a, b] = x.split('-').map(Number);
      return { low: a!, high: b ?? a! };
    });
    const tw = Number((await readFile(sysctl('tcp_tw_reuse'), 'utf8')).trim()) as 0 | 1 | 2;
    const files = await readFile(root.dropIn, 'utf8').then((text) => [{ path: '/etc/sysctl.d/60-portwatch.conf', text }], () => []);
    return planInput({ kernel: kernel({ portRange: { low: lo!, high: hi! }, reservedPorts: reserved, twReuse: tw }), sysctlFiles: files, ...inputOver });
  };
  const tuning: TuningHostOptions = {
    allowApply: o.allowApply,
    ...(o.disabledReason ? { disabledReason: o.disabledReason } : {}),
    planInput: readInput,
    runner: () => {
      if (o.runnerProblem) throw new Error(o.runnerProblem);
      return TuningClient.create({
        elevation: { method: 'direct', prefix: [process.execPath, '--import', TSX_LOADER, HELPER_ENTRY] },
        helperEnv: { ...root.env, PORTWATCH_HELPER_PROC: proc },
        proc,
        terminal: { cols: 100, rows: 24 },
      });
    },
  };
  return {
    root,
    proc,
    tuning,
    inputOver,
    readSysctl: (k) => readFile(sysctl(k), 'utf8'),
    writeSysctl: (k, t) => writeFile(sysctl(k), t),
    remove: () => root.remove(),
  };
}

/** A machine and a monitor service over it. */
export async function createTuningWorld(o: { allowApply: boolean; disabledReason?: string; runnerProblem?: string } = { allowApply: true }): Promise<TuningWorld> {
  const m = await createTuningMachine(o);
  const sampler = new ManualSampler();
  sampler.emitSample(makeSample(Date.now(), 24_000, { severity: 'critical' }));
  const service = new MonitorService({ sampler, version: 'test', platform: 'linux', hostname: 'test-host', tuning: m.tuning });
  const events: MonitorEvent[] = [];
  const waiters = new Set<() => void>();
  service.subscribe((e) => {
    events.push(e);
    for (const w of [...waiters]) w();
  });
  let id = 0;
  const call = (method: string, params: unknown, context?: RequestContext) => service.handle({ id: ++id, method, params }, context);
  return {
    root: m.root,
    proc: m.proc,
    service,
    sampler,
    events,
    inputOver: m.inputOver,
    call,
    async ok<T>(method: string, params: unknown, context?: RequestContext) {
      const r = await call(method, params, context);
      if (!r.ok) throw new Error(`${method} refused: ${r.error.code}: ${r.error.message}`);
      return r.result as T;
    },
    readSysctl: m.readSysctl,
    writeSysctl: m.writeSysctl,
    waitFor(match, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const e = events.find(match);
          if (!e) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(e);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; saw ${events.map((e) => e.event).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      service.close();
      await m.remove();
    },
  };
}

/** What the dashboard page's WebSocket carries on a server started with --allow-apply. */
export const FROM_PAGE: RequestContext = { mayChange: true };

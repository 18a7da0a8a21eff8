// Measures what a full sample of a large socket set costs the process that hosts the monitor, to choose
// where the desktop app runs it (electron/main/monitor-process.ts): the longest event-loop stall and the
// 99th-percentile stall of the hosting process while it samples, with the monitor in that process ("main")
// and in a child process that only sends its results over IPC ("utility", as an Electron utility process
// does). Electron's own main loop cannot be measured here (no runtime); Node's event loop is the same
// libuv loop the main process's JavaScript runs on, so a stall here is a stall of IPC answers and window
// events there.
//
//   node --import tsx test/desktop/bench-sample-cost.ts [--established N] [--time-wait N] [--samples N]
//
// Needs root (a network namespace with the socket set, see test/bench/socket-set.ts).
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { MonitorEvent } from '../../electron/common/contract.js';
import type { Sample } from '../../electron/common/model.js';
import { startLocalMonitor } from '../../electron/desktop/local-monitor.js';
import { RemoteMonitor, type MonitorChild } from '../../electron/desktop/remote-monitor.js';
import { defaultSettings } from '../../electron/desktop/settings.js';
import type { MonitorControl } from '../../electron/desktop/monitor-control.js';
import { withSocketSet } from '../bench/socket-set.js';

const thisFile = fileURLToPath(import.meta.url);
const hostEntry = fileURLToPath(new URL('./monitor-host-node.ts', import.meta.url));

interface Result {
  where: 'main' | 'utility';
  samples: number;
  sockets: number;
  /** Wall and CPU time of one full sample, median, as the sampler reports it. */
  sampleWallMs: number;
  sampleCpuMs: number;
  /** Event-loop stalls of the hosting process while sampling. */
  stallMaxMs: number;
  stallP99Ms: number;
}

/** Runs inside the namespace: measures one placement. */
async function inner(where: 'main' | 'utility', samples: number): Promise<Result> {
  const s = defaultSettings();
  // The fastest cadence the sampler allows, so the run takes seconds, not minutes.
  const config = { cpuBudget: 1, analysis: s.analysis };
  let monitor: MonitorControl;
  if (where === 'main') {
    monitor = startLocalMonitor({ config, version: 'bench' });
  } else {
    monitor = new RemoteMonitor({
      config,
      version: 'bench',
      spawn: (): MonitorChild => {
        const child = fork(hostEntry, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
        return {
          postMessage: (m) => void child.send(m as never),
          onMessage: (l) => void child.on('message', l),
          onExit: (l) => void child.on('exit', (c) => l(c)),
          kill: () => void child.kill('SIGKILL'),
        };
      },
    });
  }
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const got: Sample[] = [];
  const done = new Promise<void>((resolve) => {
    monitor.endpoint.subscribe((e: MonitorEvent) => {
      if (e.event !== 'sample') return;
      got.push(e.data);
      if (got.length === 2) histogram.enable(); // the first sample includes start-up work
      if (got.length >= samples + 2) resolve();
    });
  });
  // The sampler's timers do not keep a process alive (an app has its own reasons to live): this one does.
  const keepAlive = setInterval(() => undefined, 1000);
  await done;
  clearInterval(keepAlive);
  histogram.disable();
  await monitor.close();
  const measured = got.slice(2);
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    where,
    samples: measured.length,
    sockets: median(measured.map((x) => x.totalSockets)),
    sampleWallMs: round(median(measured.map((x) => x.cost.wallMs))),
    sampleCpuMs: round(median(measured.map((x) => x.cost.cpuMs))),
    stallMaxMs: round(histogram.max / 1e6),
    stallP99Ms: round(histogram.percentile(99) / 1e6),
  };
}

const round = (x: number): number => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      inner: { type: 'string' },
      samples: { type: 'string', default: '10' },
      established: { type: 'string', default: '40000' },
      'time-wait': { type: 'string', default: '40000' },
    },
  });
  const samples = Number(values.samples);
  if (values.inner === 'main' || values.inner === 'utility') {
    process.stdout.write(`${JSON.stringify(await inner(values.inner, samples))}\n`);
    return;
  }
  await withSocketSet(
    async (set) => {
      const rows: Result[] = [];
      for (const where of ['main', 'utility', 'main', 'utility'] as const) {
        await set.refresh(30_000);
        rows.push(JSON.parse(await set.runScript(thisFile, ['--inner', where, '--samples', String(samples)])) as Result);
      }
      process.stdout.write('| monitor runs in | sockets | full sample wall / CPU (median) | host loop stall max | host loop stall p99 |\n|---|---|---|---|---|\n');
      for (const r of rows) process.stdout.write(`| ${r.where} | ${r.sockets} | ${r.sampleWallMs} / ${r.sampleCpuMs} ms | ${r.stallMaxMs} ms | ${r.stallP99Ms} ms |\n`);
    },
    { established: Number(values.established), timeWait: Number(values['time-wait']) },
  );
}

if (process.argv[1] === thisFile) await main();

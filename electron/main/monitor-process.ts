// Where the monitor runs: one switch.
//
// 'utility' (the default): the sampler and the monitor service run in an Electron utility process. A full
// sample parses and analyses the whole socket table in JavaScript, and the main process's event loop is
// the one that answers IPC, moves windows and drives the tray. Measured with
// test/desktop/bench-sample-cost.ts (Node's event loop standing in for the main process's, 80,000 to
// 120,000 sockets in a namespace, a loaded 2-core machine): a full sample costs about 400 ms of CPU; with
// the monitor in the hosting process its loop stalled up to 160-550 ms (p99 36-116 ms), with the monitor
// in a child process that only sends its results, up to 70-84 ms (p99 21-29 ms, the rest being the two
// cores shared with the socket workload). In its own process the monitor's CPU use is also measured apart
// from Electron's, so the CPU budget means what it says, and a crash of the sampler (a native addon, a
// parser bug) restarts the monitor instead of taking the app down.
// 'main': everything in the main process (one process less); for small socket tables, and to compare.
// PORTWATCH_MONITOR_PROCESS=main|utility overrides the switch.
import { join } from 'node:path';
import { startLocalMonitor } from '../desktop/local-monitor.js';
import type { MonitorControl } from '../desktop/monitor-control.js';
import type { MonitorConfig } from '../desktop/monitor-config.js';
import { RemoteMonitor, type MonitorChild } from '../desktop/remote-monitor.js';
import type { ElectronApi } from './electron-api.js';

/** The switch. */
export const MONITOR_PROCESS: 'utility' | 'main' = 'utility';

/** The switch, or its override from the environment. */
export function chosenMonitorProcess(env: NodeJS.ProcessEnv): 'utility' | 'main' {
  const v = env.PORTWATCH_MONITOR_PROCESS;
  return v === 'main' || v === 'utility' ? v : MONITOR_PROCESS;
}

/** The utility process's entry beside the built main process. */
export const UTILITY_ENTRY = 'monitor-utility.js';

/** Starts the monitor where `where` says. */
export function startMonitor(api: Pick<ElectronApi, 'utilityProcess'>, mainDir: string, where: 'utility' | 'main', config: MonitorConfig, version: string): MonitorControl {
  if (where === 'main') return startLocalMonitor({ config, version });
  const spawn = (): MonitorChild => {
    const child = api.utilityProcess.fork(join(mainDir, UTILITY_ENTRY), [], { serviceName: 'Portwatch monitor', stdio: 'inherit' });
    return {
      postMessage: (m) => child.postMessage(m),
      onMessage: (l) => void child.on('message', l),
      onExit: (l) => void child.on('exit', l),
      kill: () => void child.kill(),
    };
  };
  return new RemoteMonitor({ spawn, config, version });
}

// Where the monitor runs: one switch.
//
// 'utility' (the default): the sampler and the monitor service run in an Electron utility process. A full
// sample parses and analyses the whole socket table in JavaScript; on a host with tens of thousands of
// sockets that is tens to hundreds of milliseconds of work per sample (see the report's figures from
// test/desktop/bench-sample-cost.ts), and in the main process every such millisecond delays window
// events, IPC answers and the tray. In its own process the work runs beside the UI, its CPU use is
// measured apart from Electron's (the CPU budget then means what it says), and a crash of the sampler
// (a native addon, a parser bug) restarts the monitor instead of taking the app down.
// 'main': everything in the main process (one process less, about 30 MB less memory); for machines with
// small socket tables, and to compare. PORTWATCH_MONITOR_PROCESS=main|utility overrides the switch.
import { join } from 'node:path';
import { startLocalMonitor } from '../node/desktop/local-monitor.js';
import type { MonitorControl } from '../node/desktop/monitor-control.js';
import type { MonitorConfig } from '../node/desktop/reconfigurable-sampler.js';
import { RemoteMonitor, type MonitorChild } from '../node/desktop/remote-monitor.js';
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

// The monitor's utility-process entry as a Node child process (Node's process IPC instead of Electron's
// parentPort), so the out-of-process monitor runs for real in tests. Same serveMonitorHost as
// electron/main/monitor-utility.ts.
import { startLocalMonitor } from '../../electron/desktop/local-monitor.js';
import { serveMonitorHost } from '../../electron/desktop/monitor-host.js';

serveMonitorHost(
  { postMessage: (m) => process.send?.(m), onMessage: (l) => void process.on('message', l) },
  (config, version) => startLocalMonitor({ config, version }),
  () => process.exit(0),
);
process.on('disconnect', () => process.exit(0));

// Entry point of the monitor's utility process (out/main/monitor-utility.js): serves a local monitor over
// Electron's parentPort. It imports nothing from Electron; parentPort is a property of `process` there.
import '../node/threadpool.js';
import { startLocalMonitor } from '../desktop/local-monitor.js';
import { serveMonitorHost } from '../desktop/monitor-host.js';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  process.stderr.write('monitor-utility: no parentPort; this entry runs only as an Electron utility process\n');
  process.exit(64);
}

serveMonitorHost(
  { postMessage: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (e) => l(e.data)) },
  (config, version) => startLocalMonitor({ config, version }),
  () => process.exit(0),
);

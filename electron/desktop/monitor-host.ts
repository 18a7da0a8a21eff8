// The monitor's side of a utility process: waits for `start`, then runs a local monitor and serves it over
// the port (requests answered, every event forwarded, pause/resume/configure applied). Electron-free, so
// the same code runs under Node's child_process in tests.
import { parseAnalysisConfig } from '../common/config.js';
import { checkCpuBudget, DEFAULT_SCHEDULE } from '../node/sampler/schedule.js';
import type { MonitorControl } from './monitor-control.js';
import { asToHost, type FromHost, type MessagePortLike } from './monitor-protocol.js';
import type { MonitorConfig } from './monitor-config.js';

/** Builds the monitor once the main process says start. */
export type MonitorFactory = (config: MonitorConfig, version: string) => MonitorControl;

/** Serves a monitor over port; `exit` is called after close (the process should end then). */
export function serveMonitorHost(port: MessagePortLike, factory: MonitorFactory, exit: () => void): void {
  let monitor: MonitorControl | null = null;
  const send = (m: FromHost): void => port.postMessage(m);
  port.onMessage((raw) => {
    const m = asToHost(raw);
    if (!m) return; // only the main process holds this port; anything else is ignored
    try {
      switch (m.type) {
        case 'start': {
          if (monitor) return;
          monitor = factory(sanitizeConfig(m.config), m.version);
          monitor.endpoint.subscribe((event) => send({ type: 'event', event }));
          send({ type: 'ready' });
          return;
        }
        case 'request': {
          const ref = m.ref;
          if (!monitor) return send({ type: 'response', ref, response: { id: null, ok: false, error: { code: 'unavailable', message: 'the monitor has not started' } } });
          void monitor.endpoint.handle(m.message, { mayChange: m.mayChange === true }).then((response) => send({ type: 'response', ref, response }));
          return;
        }
        case 'pause':
          return monitor?.pause(m.reason.slice(0, 200));
        case 'resume':
          return monitor?.resume();
        case 'configure':
          return monitor?.configure(sanitizeConfig(m.config));
        case 'close': {
          const closing = monitor?.close() ?? Promise.resolve();
          monitor = null;
          void closing.finally(() => {
            send({ type: 'closed' });
            exit();
          });
          return;
        }
      }
    } catch (err) {
      send({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
    }
  });
}

/** A config from the other side, re-validated (the sampler throws on a bad budget). */
function sanitizeConfig(c: MonitorConfig): MonitorConfig {
  const cpuBudget = typeof c.cpuBudget === 'number' && checkCpuBudget(c.cpuBudget) === null ? c.cpuBudget : DEFAULT_SCHEDULE.cpuBudget;
  const allNamespaces = c.allNamespaces === true || c.allNamespaces === false ? c.allNamespaces : null;
  return { cpuBudget, analysis: parseAnalysisConfig(c.analysis).config, allNamespaces };
}

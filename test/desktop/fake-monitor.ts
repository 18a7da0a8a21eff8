// A monitor for main-process tests: the real MonitorService over a hand-driven sampler, with a spy on
// every message that reaches it (what "nothing reaches the engine" is checked against).
import type { MonitorEndpoint, MonitorEvent, RequestContext, ResponseMessage } from '../../electron/common/contract.js';
import type { Sample } from '../../electron/common/model.js';
import type { MonitorControl } from '../../electron/desktop/monitor-control.js';
import type { MonitorConfig } from '../../electron/desktop/monitor-config.js';
import { MonitorService } from '../../electron/node/service/monitor-service.js';
import { ManualSampler } from '../node/service/make-sample.js';

/** A MonitorControl driven by the test. */
export class FakeMonitor implements MonitorControl {
  readonly sampler = new ManualSampler();
  readonly service = new MonitorService({ sampler: this.sampler, version: 'test', platform: 'linux', hostname: 'test-host' });
  /** Every message that reached the monitor's handle(). */
  readonly reached: unknown[] = [];
  /** The context each of them came with (what the chokepoint vouched for). */
  readonly contexts: (RequestContext | undefined)[] = [];
  readonly configs: MonitorConfig[] = [];
  readonly pauses: string[] = [];
  closed = false;
  private problemListener: ((p: string | null) => void) | null = null;
  readonly endpoint: MonitorEndpoint = {
    handle: (message: unknown, context?: RequestContext): Promise<ResponseMessage> => {
      this.reached.push(message);
      this.contexts.push(context);
      return this.service.handle(message, context);
    },
    subscribe: (l: (e: MonitorEvent) => void) => this.service.subscribe(l),
  };

  constructor(readonly initialConfig: MonitorConfig) {}

  get paused(): boolean {
    return this.sampler.paused;
  }
  pause(reason: string): void {
    this.sampler.paused = true;
    this.pauses.push(reason);
  }
  resume(): void {
    this.sampler.paused = false;
  }
  configure(config: MonitorConfig): void {
    this.configs.push(config);
  }
  onProblem(l: (p: string | null) => void): () => void {
    this.problemListener = l;
    return () => (this.problemListener = null);
  }
  async close(): Promise<void> {
    this.closed = true;
    this.service.close();
  }
  /** The monitor produced a sample. */
  emit(sample: Sample): void {
    this.sampler.emitSample(sample);
  }
  /** The monitor's process failed (or recovered with null). */
  problem(p: string | null): void {
    this.problemListener?.(p);
  }
}

// The connect-failure tracer as `check` runs it: started before the first sample and given time to attach
// (bpftrace takes seconds to load its probes), so the whole interval — or the whole --watch — is traced;
// every sample shown then carries the failures seen so far and the tracer's status (the reason and the
// fix when it cannot run). The tracer sees the whole host: a one-namespace check keeps only the failures
// of its own namespace (a pod's failures are not this namespace's exhaustion); --netns host gives each
// namespace its own. Linux only; elsewhere there is no tracer and samples are left as they are.
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { withConnectFailures } from '../common/connect-failures.js';
import { withHostConnectFailures } from '../common/host-connect-failures.js';
import type { HostSample } from '../common/host-sample.js';
import type { Sample, SourceStatus } from '../common/model.js';
import type { ConnectFailureTracer, TracerOptions } from '../node/platform/linux/tracer/connect-failure-tracer.js';
import { startProgress } from './progress.js';

/** Longest wait for the probes to attach before sampling starts anyway (the status then says "starting"). */
const ATTACH_WAIT_MS = 20_000;

/** What check --ssh says about the tracer: it traces this machine's kernel, not the remote one. */
export const REMOTE_TRACER_STATUS: SourceStatus = {
  name: 'connect-tracer',
  status: 'unsupported',
  durationMs: 0,
  error: 'the connect-failure tracer is not run on a remote host over ssh (fix: run portwatch check as root on that host to see its failed connects)',
};

/** The tracer of one check run. */
export class CheckTracer {
  /** The network namespace this check samples (its own), by inode. */
  private readonly ownNetns = statSync('/proc/self/ns/net').ino;

  private constructor(private readonly tracer: ConnectFailureTracer) {}

  /** Starts the tracer and waits (bounded, with progress on a terminal) until it is attached or cannot run. */
  static async start(stderr: NodeJS.WritableStream, o: TracerOptions = {}): Promise<CheckTracer> {
    // Imported only here: a one-shot check (--interval 0) runs no tracer and need not load child_process.
    const { ConnectFailureTracer } = await import('../node/platform/linux/tracer/connect-failure-tracer.js');
    const tracer = new ConnectFailureTracer(o);
    tracer.start();
    const p = startProgress(stderr, 'starting the connect-failure tracer (bpftrace)…', 0);
    try {
      await tracer.waitAttached(ATTACH_WAIT_MS);
    } finally {
      p.done();
    }
    return new CheckTracer(tracer);
  }

  /** The tracer as a source (ok, or why not and the fix). */
  status(): SourceStatus {
    return this.tracer.status();
  }

  /** The sample of this namespace with the failures seen so far (judged on its own) and the tracer's status. */
  sample(s: Sample): Sample {
    return withConnectFailures({ ...s, sources: [...s.sources, this.tracer.status()] }, this.tracer.snapshot(), Date.now(), this.ownNetns);
  }

  /** The host sample with each namespace's own failures. */
  host(h: HostSample): HostSample {
    return withHostConnectFailures(h, this.tracer.snapshot(), this.tracer.status(), Date.now());
  }

  /** Lets the last second's counts arrive (bpftrace prints them at the end of each second), then stops. */
  async finish(): Promise<void> {
    if (this.tracer.status().status === 'ok') await sleep(1100);
    await this.tracer.stop();
  }

  /** Stops at once (leaving --watch). */
  stop(): Promise<void> {
    return this.tracer.stop();
  }
}

/** The check tracer on Linux, null elsewhere. */
export function checkTracerWanted(): boolean {
  return process.platform === 'linux';
}

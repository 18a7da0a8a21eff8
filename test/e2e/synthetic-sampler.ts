// A synthetic sampler for benchmarks and visual previews only (the end-to-end tests use the real one):
// emits plausible samples and 1 Hz ticks whose use follows a level the caller sets, and can pre-fill a
// history store with a full day of 1-second points (or a week's, for the minute roll-ups a restarted monitor restores).
import type { Sample, TickSample } from '../../electron/common/model.js';
import { HistoryStore } from '../../electron/node/history/history-store.js';
import { samplePoint, tickPoint } from '../../electron/node/history/points.js';
import { makeDestination, makeSample, makeTick, stateCounts } from '../node/service/make-sample.js';
import { TCP_STATE } from '../../electron/common/tcp-state.js';
import { SocketTableBuilder } from '../../electron/node/platform/socket-table.js';
import type { SocketReading } from '../../electron/node/service/connection-list.js';

/** Samples with `level` sockets toward the worst destination, plus noise and a few other destinations. */
export function syntheticSample(time: number, level: number): Sample {
  const cap = 28232;
  const tw = Math.round(level * 0.6);
  const est = level - tw;
  const worst = makeDestination(level, cap, {
    remoteAddress: '10.20.0.2',
    remotePort: 8080,
    states: { ESTABLISHED: est, 'TIME-WAIT': tw },
    processes: [
      { pid: 3121, name: 'api-gateway', sockets: Math.round(level * 0.8) },
      { pid: 3307, name: 'worker', sockets: level - Math.round(level * 0.8) },
    ],
    newPerSec: level / 60,
    timeToExhaustionSec: level > cap * 0.5 ? Math.round((cap - level) / Math.max(1, level / 600)) : null,
  });
  const others = [1, 2, 3, 4, 5].map((i) =>
    makeDestination(Math.round(level / (i * 4)) + i, cap, {
      remoteAddress: `10.20.0.${10 + i}`,
      remotePort: i % 2 ? 443 : 5432,
      states: { ESTABLISHED: Math.round(level / (i * 4)) + i },
      processes: [{ pid: 4000 + i, name: i % 2 ? 'nginx' : 'postgres-client', sockets: Math.round(level / (i * 4)) + i }],
    }),
  );
  const util = level / cap;
  const severity = util >= 1 ? 'exhausted' : util >= 0.9 ? 'critical' : util >= 0.7 ? 'warning' : 'ok';
  const states = stateCounts({ ESTABLISHED: est + others.reduce((a, d) => a + d.inUse, 0) + 40, 'TIME-WAIT': tw, LISTEN: 12, 'CLOSE-WAIT': 3, 'FIN-WAIT-2': 2, 'SYN-SENT': 1 });
  const total = Object.values(states).reduce((a, b) => a + b, 0);
  return makeSample(time, level, {
    hostname: 'web-01',
    severity,
    severityReason: `the worst destination 10.20.0.2:8080 uses ${(util * 100).toFixed(0)}% of usable ports`,
    worst,
    destinations: [worst, ...others],
    destinationCount: 6,
    states,
    totalSockets: total,
    global: { distinctPortsInUse: level + 30, exclusivelyHeld: 12, utilization: 12 / cap, bindBeforeConnectEvidence: false },
    processes: [
      { pid: 3121, name: 'api-gateway', sockets: Math.round(est * 0.8), timeWait: Math.round(tw * 0.8), topDestinations: ['10.20.0.2:8080'] },
      { pid: 3307, name: 'worker', sockets: est - Math.round(est * 0.8), timeWait: tw - Math.round(tw * 0.8), topDestinations: ['10.20.0.2:8080'] },
      { pid: 4001, name: 'nginx', sockets: 20, timeWait: 0, topDestinations: ['10.20.0.11:443', '10.20.0.13:443'] },
    ],
    rates: { newConnectionsPerSec: level / 60, holdSec: 60, sustainablePerDestinationPerSec: cap / 60, headroomPerSec: cap / 60 - level / 60 },
    timeToExhaustionSec: worst.timeToExhaustionSec,
    diagnoses:
      util >= 0.7
        ? [
            {
              id: 'time-wait-churn',
              severity: util >= 0.9 ? 'critical' : 'warning',
              title: 'Short-lived connections fill the range with TIME-WAIT',
              summary: 'api-gateway opens a new connection per request to 10.20.0.2:8080; each leaves a TIME-WAIT socket holding its port for 60 s.',
              evidence: [`${tw} TIME-WAIT sockets toward 10.20.0.2:8080`, `${(level / 60).toFixed(0)} new connections/s`],
              recommendations: [
                { kind: 'application', text: 'Reuse connections: enable HTTP keep-alive / a connection pool in api-gateway.' },
                { kind: 'kernel', text: 'Relief only: widen the ephemeral range.', setting: { key: 'net.ipv4.ip_local_port_range', current: '32768 60999', suggested: '15000 65000' } },
              ],
            },
          ]
        : [],
  });
}

/** Fills a store with a day of 1-second points ending at `end` (a daily wave with spikes). */
export function fillDay(store: HistoryStore, end: number): void {
  for (let i = 86_400; i > 0; i--) {
    const t = end - i * 1000;
    const level = Math.round(3000 + 2500 * Math.sin(i / 8000) + (i % 9973 === 0 ? 9000 : 0) + (i % 17) * 20);
    store.add('sample', samplePoint(syntheticSample(t, level)));
    store.add('tick', tickPoint(makeTick(t, level / 60)));
  }
}

/** Fills a store with the week before `end` (a sample every 20 s, a tick every 4 s: no gaps), for its minute roll-ups. */
export function fillWeek(store: HistoryStore, end: number): void {
  for (let t = end - 7 * 86_400_000; t < end; t += 4000) {
    const level = Math.round(3000 + 2000 * Math.sin(t / 43_200_000) + ((t / 4000) % 31) * 15);
    if (t % 20_000 < 4000) store.add('sample', samplePoint(syntheticSample(t, level)));
    store.add('tick', tickPoint(makeTick(t, level / 60)));
  }
}

/** Owners of the synthetic sockets (the sample's processes, and one whose name looks like a spreadsheet formula). */
export const SYNTHETIC_PROCESSES = new Map([
  [3121, 'api-gateway'],
  [3307, 'worker'],
  [4001, 'nginx'],
  [4002, '=cmd|calc'],
]);
const SYNTHETIC_REMOTES = ['10.20.0.2', '10.20.0.11', '10.20.0.12', '2001:db8::20'];

/**
 * n sockets from 10.0.0.1: row i goes to SYNTHETIC_REMOTES[i % 4] (port 8080, 443, 5432, 443), every
 * third is TIME-WAIT (no owner, i % 60,000 ms old), the others ESTABLISHED, owned by the pids above in turn.
 */
export function syntheticSockets(n: number, time: number): SocketReading {
  const b = new SocketTableBuilder(n);
  const local = b.intern('10.0.0.1');
  const remotes = SYNTHETIC_REMOTES.map((a) => b.intern(a));
  const ports = [8080, 443, 5432, 443];
  const pids = [...SYNTHETIC_PROCESSES.keys()];
  for (let i = 0; i < n; i++) {
    const tw = i % 3 === 0;
    b.pushRaw(i % 4 === 3 ? 6 : 4, tw ? TCP_STATE.TIME_WAIT : TCP_STATE.ESTABLISHED, local, 10_000 + (i % 50_000), remotes[i % 4]!, ports[i % 4]!, 0, tw ? -1 : pids[i % pids.length]!, tw ? i % 60_000 : -1);
  }
  return { time, netns: 'net:[4026531840]', sockets: b.build(), processNames: SYNTHETIC_PROCESSES, timeWaitSec: 60 };
}

/** A sampler-shaped source driven by timers. */
export class SyntheticSampler {
  paused = false;
  level = 2000;
  private last: Sample | null = null;
  /** How many sockets getConnections lists (built once per count: a million takes a moment). */
  socketCount = 500;
  private sockets: SocketReading | null = null;
  private readonly sampleListeners = new Set<(s: Sample) => void>();
  private readonly tickListeners = new Set<(t: TickSample) => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly periodMs = 1000) {}

  latest(): Sample | null {
    return this.last;
  }
  latestSockets(): SocketReading | null {
    if (this.sockets?.sockets?.count !== this.socketCount) this.sockets = syntheticSockets(this.socketCount, Date.now());
    return this.sockets;
  }
  onSample(l: (s: Sample) => void): () => void {
    this.sampleListeners.add(l);
    return () => this.sampleListeners.delete(l);
  }
  onTick(l: (t: TickSample) => void): () => void {
    this.tickListeners.add(l);
    return () => this.tickListeners.delete(l);
  }
  /** Emits one tick and one sample now. */
  step(): void {
    const now = Date.now();
    const t = makeTick(now, this.level / 60);
    for (const l of this.tickListeners) l(t);
    this.last = syntheticSample(now, this.level);
    for (const l of this.sampleListeners) l(this.last);
  }
  start(): void {
    this.step();
    this.timer = setInterval(() => this.step(), this.periodMs);
  }
  async stop(): Promise<void> {
    clearInterval(this.timer);
  }
}

export { HistoryStore };

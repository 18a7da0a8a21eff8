// What the desktop app writes to its log file from the monitor's events: the sampler's sources that
// fail (and when they work again), and each result of the privileged helper (applying, awaiting keep,
// kept, reverted, refused, failed… with what was read back). Only changes are logged, so a source that
// stays broken costs one line, not one per sample.
import type { MonitorEvent } from '../common/contract.js';
import type { SourceStatus } from '../common/model.js';
import type { TuningSession } from '../common/tuning-contract.js';

/** Most sources remembered (a backend has about ten; a bound keeps a misbehaving one from growing it). */
const MAX_SOURCES = 200;

/** Turns monitor events into log lines. */
export class MonitorEventLog {
  private readonly sources = new Map<string, string>();
  private lastSession = '';
  private verified = '';

  constructor(private readonly write: (line: string) => void) {}

  observe(e: MonitorEvent): void {
    if (e.event === 'sample') this.sourcesOf(e.data.sources);
    else if (e.event === 'tuningStatus') this.session(e.data);
  }

  private sourcesOf(list: readonly SourceStatus[]): void {
    for (const s of list) {
      const key = s.status === 'ok' ? 'ok' : `${s.status}: ${s.error ?? 'no detail'}`;
      const before = this.sources.get(s.name) ?? 'ok';
      if (key === before) continue;
      if (!this.sources.has(s.name) && this.sources.size >= MAX_SOURCES) continue;
      this.sources.set(s.name, key);
      this.write(s.status === 'ok' ? `source ${s.name}: ok again` : `source ${s.name} ${key}`);
    }
  }

  private session(t: TuningSession): void {
    const key = `${t.id}\u0000${t.phase}`;
    if (key !== this.lastSession) {
      this.lastSession = key;
      const what = t.kind === 'apply' ? `apply of ${t.steps.join(', ') || 'no step'}` : `revert of ${t.txid ?? 'a kept change'}`;
      this.write(`helper ${what} (session ${t.id}, ${t.elevation}): ${t.phase}${t.message ? ` — ${t.message}` : ''}`);
    }
    if (t.verification && this.verified !== t.id) {
      this.verified = t.id;
      const read = t.verification.settings.map((s) => `${s.key} wanted ${s.wanted}, now ${s.now ?? 'unreadable'}${s.ok ? '' : ' (differs)'}`);
      this.write(`helper read back (${t.verification.ok ? 'as planned' : 'NOT as planned'}): ${read.join('; ') || 'nothing'}`);
    }
  }
}

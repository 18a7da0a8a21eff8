// The statuses of a read's raw sources while a snapshot parser works through them: a source that was
// read but could only partly be parsed becomes "degraded", one that gave nothing usable "failed", and
// the problems are kept in its error text (the first few, the rest counted). Pure.
import type { SourceStatus } from '../../common/model.js';
import type { RawSnapshot, RawSource } from './types.js';

import type { ParseResult } from '../../common/parse-result.js';
export type { ParseResult };

const SHOWN_PROBLEMS = 5;

/** Source statuses of one raw read, updated as its sources are parsed. */
export class SourceStatuses {
  private readonly raw = new Map<string, RawSource>();
  private readonly statuses = new Map<string, SourceStatus>();

  constructor(read: RawSnapshot) {
    for (const s of read.sources) {
      this.raw.set(s.name, s);
      this.statuses.set(s.name, { name: s.name, status: s.status, durationMs: s.durationMs, ...(s.error ? { error: s.error } : {}) });
    }
  }

  /** The bytes of a source that was read, or undefined. */
  data(name: string): Buffer | undefined {
    const s = this.raw.get(name);
    return s && s.status === 'ok' && s.data ? s.data : undefined;
  }

  /** True when the read has a source of this name (whatever its status). */
  has(name: string): boolean {
    return this.raw.has(name);
  }

  /** Marks a read source as degraded by these problems (no-op without problems). */
  degrade(name: string, problems: readonly string[]): void {
    const st = this.statuses.get(name);
    if (!st || problems.length === 0) return;
    if (st.status === 'ok') st.status = 'degraded';
    const text =
      problems.slice(0, SHOWN_PROBLEMS).join('; ') + (problems.length > SHOWN_PROBLEMS ? `; and ${problems.length - SHOWN_PROBLEMS} more` : '');
    st.error = st.error ? `${st.error}; ${text}` : text;
  }

  /** Parses a source if it was read: problems degrade it, a null value marks it failed. */
  parse<T>(name: string, parser: (data: Buffer, name: string) => ParseResult<T>): T | null {
    const data = this.data(name);
    if (!data) return null;
    const r = parser(data, name);
    this.degrade(name, r.problems);
    if (r.value === null) this.statuses.get(name)!.status = 'failed';
    return r.value;
  }

  /** Adds a status for something the platform cannot provide or that was not read. */
  add(status: SourceStatus): void {
    if (!this.statuses.has(status.name)) this.statuses.set(status.name, status);
  }

  /** Every status, in the order the sources were read. */
  list(): SourceStatus[] {
    return [...this.statuses.values()];
  }
}

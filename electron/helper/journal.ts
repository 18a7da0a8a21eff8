// The write-ahead journal: one active transaction at a time in STATE/journal.json, finished ones in
// STATE/history/TXID.json. Every write is atomic and fsynced (atomic-file.ts) before the helper touches
// a setting, so after a kill at any step the journal says what was there before and what was wanted.
// Recovery rule: a transaction whose journal says "committed" ends fully new; any other ends fully old.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TUNABLE_KEYS, TXID_PATTERN, type TransactionState, type TunableKey } from '../common/tuning.js';
import { arr, num, obj, oneOf, str, validate, type Schema } from '../common/schema.js';
import { removeFileDurably, writeFileAtomic } from './atomic-file.js';
import type { ProcessIdentity } from './process-identity.js';

/** The settings and drop-in text at one end of a transaction (null: key absent / file absent). */
export interface JournalSide {
  values: Partial<Record<TunableKey, string | null>>;
  dropIn: string | null;
}

/** One transaction as journaled. */
export interface JournalEntry {
  schema: 1;
  txid: string;
  /** apply: a plan applied with a countdown; undo: a kept transaction put back. */
  kind: 'apply' | 'undo';
  /** For an undo, the transaction it undoes. */
  undoOf: string | null;
  state: TransactionState;
  createdAt: number;
  updatedAt: number;
  /** When an unconfirmed apply is reverted (epoch ms), null before it awaits confirmation. */
  deadline: number | null;
  /** The process holding the countdown. */
  holder: ProcessIdentity | null;
  /** Keys in write order. */
  keys: TunableKey[];
  /** The drop-in file's path on the real system (/etc/sysctl.d/60-portwatch.conf). */
  dropInPath: string;
  before: JournalSide;
  after: JournalSide;
  /** Why it was rolled back, when it was. */
  reason: string | null;
}

const MAX_TEXT = 400_000;
const textOrNull: Schema<string | null> = { check: (v, p) => (v === null ? null : str({ maxLength: MAX_TEXT }).check(v, p)) };
const numOrNull: Schema<number | null> = { check: (v, p) => (v === null ? null : num().check(v, p)) };
const sideSchema: Schema<JournalSide> = obj<JournalSide>({
  values: {
    check: (v, p) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p}: expected an object`;
      for (const [k, x] of Object.entries(v)) {
        if (!(TUNABLE_KEYS as readonly string[]).includes(k)) return `${p}: unknown key ${JSON.stringify(k)}`;
        const e = textOrNull.check(x, `${p}.${k}`);
        if (e) return e;
      }
      return null;
    },
  },
  dropIn: textOrNull,
});
const entrySchema: Schema<JournalEntry> = obj<JournalEntry>({
  schema: oneOf(1),
  txid: { check: (v, p) => (typeof v === 'string' && TXID_PATTERN.test(v) ? null : `${p}: not a transaction id`) },
  kind: oneOf('apply', 'undo'),
  undoOf: { check: (v, p) => (v === null || (typeof v === 'string' && TXID_PATTERN.test(v)) ? null : `${p}: not a transaction id`) },
  state: oneOf('applying', 'awaiting-confirm', 'committed', 'rolling-back', 'rolled-back'),
  createdAt: num(),
  updatedAt: num(),
  deadline: numOrNull,
  holder: {
    check: (v, p) => (v === null ? null : obj<ProcessIdentity>({ pid: num({ integer: true, min: 1 }), startTime: str({ maxLength: 30 }) }).check(v, p)),
  },
  keys: arr(oneOf(...TUNABLE_KEYS), { maxLength: TUNABLE_KEYS.length }),
  dropInPath: str({ maxLength: 4096 }),
  before: sideSchema,
  after: sideSchema,
  reason: textOrNull,
});

/** A journal that cannot be read: nothing is done until a person looks at it. */
export class JournalError extends Error {
  override readonly name = 'JournalError';
}

/** True when a transaction has ended (it only waits to be moved to the history). */
export function isFinished(e: JournalEntry): boolean {
  return e.state === 'committed' || e.state === 'rolled-back';
}

/** The journal in one state directory. */
export class Journal {
  constructor(readonly stateDir: string) {}

  get activePath(): string {
    return join(this.stateDir, 'journal.json');
  }

  get historyDir(): string {
    return join(this.stateDir, 'history');
  }

  /** The active transaction, or null; throws JournalError when the file exists but is not a journal. */
  async readActive(): Promise<JournalEntry | null> {
    return readEntry(this.activePath);
  }

  /** Writes the active transaction durably. */
  async writeActive(e: JournalEntry): Promise<void> {
    await mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.activePath, `${JSON.stringify(e, null, 1)}\n`, 0o600);
  }

  /** Moves a finished transaction to the history (history first, then the active file goes). */
  async finish(e: JournalEntry): Promise<void> {
    await mkdir(this.historyDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(this.historyDir, `${e.txid}.json`), `${JSON.stringify(e, null, 1)}\n`, 0o600);
    await removeFileDurably(this.activePath);
  }

  /** A finished transaction by id, or null. */
  async readHistory(txid: string): Promise<JournalEntry | null> {
    if (!TXID_PATTERN.test(txid)) return null;
    return readEntry(join(this.historyDir, `${txid}.json`));
  }

  /** The newest finished transactions, newest first (ids sort by time). */
  async listHistory(limit: number): Promise<JournalEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.historyDir);
    } catch {
      return [];
    }
    const ids = names
      .filter((n) => n.endsWith('.json') && TXID_PATTERN.test(n.slice(0, -5)))
      .map((n) => n.slice(0, -5))
      .sort()
      .reverse()
      .slice(0, limit);
    const out: JournalEntry[] = [];
    for (const id of ids) {
      const e = await readEntry(join(this.historyDir, `${id}.json`)).catch(() => null);
      if (e) out.push(e);
    }
    return out;
  }
}

async function readEntry(path: string): Promise<JournalEntry | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new JournalError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JournalError(`${path} is not JSON: look at it before anything else is changed`);
  }
  const v = validate(entrySchema, value, path);
  if (!v.ok) throw new JournalError(`${v.error}: look at it before anything else is changed`);
  return v.value;
}

// The desktop app's log file, for users to attach to a bug report: one line per event, newest last, in
// the app's logs folder (Electron's app.getPath('logs')). Bounded on disk: when the file would pass
// maxBytes it becomes portwatch.1.log (the older ones shift up, the oldest of `files` is dropped). Text
// from outside (error messages, helper sentences) is kept to one line: line breaks and other control
// characters are written as visible escapes (common/terminal-text.ts), so no one can forge a log line.
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cleanTerminalField } from '../common/terminal-text.js';

export const LOG_FILE = 'portwatch.log';
/** Default size at which the file is rotated. */
export const LOG_MAX_BYTES = 1024 * 1024;
/** Default number of files kept (portwatch.log and portwatch.1.log … portwatch.<files-1>.log). */
export const LOG_FILES = 3;
/** Longest message kept of one line (a longer one is cut and says so). */
export const LOG_LINE_MAX_CHARS = 4000;

export interface LogFileOptions {
  dir: string;
  maxBytes?: number;
  files?: number;
  clock?: () => number;
  /** Where a failure to write the log is reported (once, then every 100th). */
  onError?: (problem: string) => void;
}

/** One message as one log line: control characters escaped, cut at LOG_LINE_MAX_CHARS. */
export function logLine(message: string): string {
  const clean = cleanTerminalField(message);
  return clean.length > LOG_LINE_MAX_CHARS ? `${clean.slice(0, LOG_LINE_MAX_CHARS)}… (${clean.length - LOG_LINE_MAX_CHARS} more characters)` : clean;
}

/** The path of the file that holds rotation `n` (0 is the current file). */
export function logFilePath(dir: string, n: number): string {
  return join(dir, n === 0 ? LOG_FILE : LOG_FILE.replace(/\.log$/, `.${n}.log`));
}

/** A size-capped set of rotating log files; writing never throws. */
export class RotatingLog {
  readonly dir: string;
  private readonly maxBytes: number;
  private readonly files: number;
  private readonly clock: () => number;
  private size: number | null = null;
  private failures = 0;

  constructor(private readonly o: LogFileOptions) {
    this.dir = o.dir;
    this.maxBytes = o.maxBytes ?? LOG_MAX_BYTES;
    this.files = Math.max(1, Math.trunc(o.files ?? LOG_FILES));
    this.clock = o.clock ?? Date.now;
  }

  /** The current file. */
  get path(): string {
    return logFilePath(this.dir, 0);
  }

  /** Makes the folder exist (so it can be opened before anything was logged). */
  ensureDir(): void {
    mkdirSync(this.dir, { recursive: true });
  }

  /** Appends one line with the time (UTC, ISO 8601). */
  write(message: string): void {
    const line = `${new Date(this.clock()).toISOString()} ${logLine(message)}\n`;
    const bytes = Buffer.byteLength(line);
    try {
      if (this.size === null) {
        this.ensureDir();
        this.size = currentSize(this.path);
      }
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      appendFileSync(this.path, line);
      this.size += bytes;
    } catch (err) {
      this.size = null; // look at the disk again next time
      if (this.failures++ % 100 === 0) this.o.onError?.(`could not write the log ${this.path}: ${String(err)}`);
    }
  }

  /** portwatch.log → portwatch.1.log → … ; the oldest kept file is dropped. */
  private rotate(): void {
    rmSync(logFilePath(this.dir, this.files - 1), { force: true });
    for (let n = this.files - 2; n >= 0; n--) {
      const from = logFilePath(this.dir, n);
      if (existsSync(from)) renameSync(from, logFilePath(this.dir, n + 1));
    }
    this.size = 0;
  }
}

function currentSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

// The CLI's output layer: every byte a command prints passes through cleanTerminalText, so text from
// outside can never drive the terminal, whatever field it came in. Our own control sequences (the
// --watch refresh) go through writeTerminalControl, which names each one it allows.
import { cleanTerminalText } from '../common/terminal-text.js';
import type { Io } from './args.js';

const raw = new WeakMap<object, NodeJS.WritableStream>();

/** The only control sequences the CLI itself writes. */
export const TERMINAL_CONTROL = {
  homeAndClear: '\x1b[H\x1b[2J',
  // check --watch: the alternate screen (no scrollback flood) with the cursor hidden, and back.
  enterAltScreen: '\x1b[?1049h\x1b[?25l',
  leaveAltScreen: '\x1b[?25h\x1b[?1049l',
  // A progress line on stderr, erased in place.
  clearLine: '\r\x1b[K',
  // Colours (SGR) for severities and figures, only on a terminal that wants them (cli/paint.ts).
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  magenta: '\x1b[35m',
  cyan: '\x1b[36m',
  reset: '\x1b[0m',
} as const;

/** The stream with write() cleaned; every other property (isTTY, columns, on …) is the stream's own. */
export function terminalSafeStream<S extends NodeJS.WritableStream>(stream: S): S {
  if (raw.has(stream)) return stream;
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
    return (stream.write as (c: string, ...r: unknown[]) => boolean)(cleanTerminalText(text), ...rest);
  };
  const safe = new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') return write;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  raw.set(safe, stream);
  return safe;
}

/** Io whose stdout and stderr are both terminal-safe. */
export function terminalSafeIo(io: Io): Io {
  return { stdout: terminalSafeStream(io.stdout), stderr: terminalSafeStream(io.stderr) };
}

declare const composedBrand: unique symbol;
/** Output made only of cleaned text and our own control sequences (composeTerminal): safe to write raw. */
export type ComposedOutput = string & { readonly [composedBrand]: true };
/** A part of composed output: text from anywhere (cleaned) or one of our own sequences by name. */
export type TerminalPart = string | { control: keyof typeof TERMINAL_CONTROL };

/** Joins parts into one string: text cleaned, controls our own. */
export function composeTerminal(parts: Iterable<TerminalPart>): ComposedOutput {
  let out = '';
  for (const p of parts) out += typeof p === 'string' ? cleanTerminalText(p) : TERMINAL_CONTROL[p.control];
  return out as ComposedOutput;
}

/** Writes composed output in one write: a --watch frame reaches the terminal whole, not in a hundred
 *  pieces that a slow link shows being drawn. */
export function writeComposed(stream: NodeJS.WritableStream, output: ComposedOutput): void {
  (raw.get(stream) ?? stream).write(output);
}

/** Writes one of our own TERMINAL_CONTROL sequences past the cleaning. */
export function writeTerminalControl(stream: NodeJS.WritableStream, sequence: (typeof TERMINAL_CONTROL)[keyof typeof TERMINAL_CONTROL]): void {
  (raw.get(stream) ?? stream).write(sequence);
}

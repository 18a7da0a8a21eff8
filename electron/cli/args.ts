// Argument parsing shared by the subcommands; each error names the flag and the value.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command writes. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Parses argv for one subcommand; returns null (after printing the culprit) on bad arguments. */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  command: string,
  args: string[],
  options: T,
  io: Io,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: false; strict: true }>>['values'] | null {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (err) {
    io.stderr.write(`portwatch ${command}: ${(err as Error).message}\nRun \`portwatch --help\` for usage.\n`);
    return null;
  }
}

/** A number of seconds within [min, max]; returns the error text when bad. */
export function parseSeconds(text: string | undefined, fallback: number, flag: string, min: number, max: number): number | string {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    return `${flag} must be a number of seconds from ${min} to ${max}, got ${JSON.stringify(text)}`;
  }
  return n;
}

/** A whole number within [min, max]; returns the error text when bad. */
export function parseWhole(text: string | undefined, fallback: number, flag: string, min: number, max: number): number | string {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) {
    return `${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`;
  }
  return n;
}

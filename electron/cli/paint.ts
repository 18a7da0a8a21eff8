// Styled, width-aware text for the CLI: lines of spans, each span plain text with an optional style.
// Text is cleaned (composeTerminal); colours are our own sequences from TERMINAL_CONTROL,
// written only when colour is wanted: on a TTY, without NO_COLOR or --no-color.
import type { SeverityOrUnknown } from '../common/model.js';
import { composeTerminal, writeComposed, type TERMINAL_CONTROL, type TerminalPart } from './terminal-io.js';

/** What a span means; the painter picks the colour. */
export type Style = SeverityOrUnknown | 'number' | 'heading' | 'dim';

/** A run of text in one style. */
export interface Span {
  text: string;
  style?: Style;
}

/** One line of output. */
export type Line = Span[];

const SGR: Record<Style, (keyof typeof TERMINAL_CONTROL)[]> = {
  ok: ['bold', 'green'],
  warning: ['bold', 'yellow'],
  critical: ['bold', 'red'],
  exhausted: ['bold', 'magenta'],
  unknown: ['bold'],
  number: ['cyan'],
  heading: ['bold'],
  dim: ['dim'],
};

/** A span. */
export const span = (text: string, style?: Style): Span => (style ? { text, style } : { text });

/** Whether to colour: a TTY, no NO_COLOR (any non-empty value, see no-color.org), no --no-color. */
export function colorWanted(stream: NodeJS.WritableStream, noColorFlag: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return (stream as NodeJS.WriteStream).isTTY === true;
}

/** The columns output fits: a terminal's own width, else 80 (a pipe or a file reads as a standard terminal). */
export function outputColumns(stream: NodeJS.WritableStream): number {
  const out = stream as NodeJS.WriteStream;
  return out.isTTY && out.columns > 0 ? out.columns : 80;
}

/** The width prose is fitted to for `cols` columns, never under 40 (narrower reads worse than wrapping by
 *  the terminal); null with --wide: every line whole, for grep and wide windows. */
export function fitWidth(cols: number, wide: boolean): number | null {
  return wide ? null : Math.max(40, cols);
}

/** The width of a line in terminal columns (one per code point: the report is ASCII and a few symbols). */
export function lineWidth(line: Line): number {
  let n = 0;
  for (const s of line) n += [...s.text].length;
  return n;
}

/** The plain text of lines. */
export function plainText(lines: Line[]): string {
  return lines.map((l) => l.map((s) => s.text).join('')).join('\n') + '\n';
}

/** Lines as terminal parts: the text, with our own colour sequences around styled spans when `color`;
 *  `finalNewline` false leaves the cursor on the last line. */
export function paintedParts(lines: Line[], color: boolean, finalNewline = true): TerminalPart[] {
  const parts: TerminalPart[] = [];
  lines.forEach((line, i) => {
    for (const s of line) {
      if (color && s.style) {
        for (const k of SGR[s.style]) parts.push({ control: k });
        parts.push(s.text, { control: 'reset' });
      } else {
        parts.push(s.text);
      }
    }
    if (finalNewline || i < lines.length - 1) parts.push('\n');
  });
  return parts;
}

/** Writes lines, coloured when `color`, in one write (text cleaned, see terminal-io). */
export function writeLines(stream: NodeJS.WritableStream, lines: Line[], color: boolean, finalNewline = true): void {
  writeComposed(stream, composeTerminal(paintedParts(lines, color, finalNewline)));
}

/**
 * Word-wraps a line to `width` columns; continuation lines start with `indent` spaces. Words longer than
 * the width are cut. A null width leaves the line whole (--wide).
 */
export function wrapLine(line: Line, width: number | null, indent = 4): Line[] {
  if (width === null || lineWidth(line) <= width) return [line];
  // Words keep their style; the spaces between them are plain.
  const words: Span[] = [];
  let lead = '';
  for (const s of line) {
    for (const part of s.text.split(/( +)/)) {
      if (part === '') continue;
      if (/^ +$/.test(part)) words.push({ text: part });
      else words.push(s.style ? { text: part, style: s.style } : { text: part });
    }
  }
  const firstWord = words.findIndex((w) => !/^ +$/.test(w.text));
  if (firstWord > 0) lead = words.splice(0, firstWord).map((w) => w.text).join('');
  const pad = ' '.repeat(Math.min(indent + lead.length, Math.floor(width / 2)));
  const out: Line[] = [];
  let cur: Line = lead ? [{ text: lead }] : [];
  let used = lead.length;
  let start = true;
  const push = (): void => {
    out.push(cur);
    cur = [{ text: pad }];
    used = pad.length;
    start = true;
  };
  for (const w of words) {
    const n = [...w.text].length;
    if (/^ +$/.test(w.text)) {
      if (!start && used + 1 <= width) {
        cur.push({ text: ' ' });
        used += 1;
      }
      continue;
    }
    if (!start && used + n > width) {
      // drop the trailing space before breaking
      const last = cur[cur.length - 1];
      if (last && last.text === ' ') {
        cur.pop();
        used--;
      }
      push();
    }
    let text = w.text;
    while ([...text].length > width - used) {
      const room = Math.max(1, width - used);
      const chars = [...text];
      cur.push({ ...w, text: chars.slice(0, room).join('') });
      text = chars.slice(room).join('');
      push();
    }
    cur.push({ ...w, text });
    used += [...text].length;
    start = false;
  }
  if (cur.length > 0 && !(cur.length === 1 && cur[0]!.text === pad)) out.push(cur);
  return out;
}

/** Wraps every line. */
export function wrapLines(lines: Line[], width: number | null, indent = 4): Line[] {
  return lines.flatMap((l) => wrapLine(l, width, indent));
}

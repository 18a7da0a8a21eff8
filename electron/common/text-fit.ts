// Plain text fitted to a width. Prose wraps at spaces with a hanging indent; lines marked verbatim
// (commands, file contents, diffs, values) stay whole, so what is copied from a terminal runs as shown.

/** A line that is never wrapped. */
export interface Verbatim {
  readonly verbatim: string;
}
/** Prose whose continuation lines start at a column of its own choosing. */
export interface Hanging {
  readonly text: string;
  readonly indent: number;
}
export type TextLine = string | Verbatim | Hanging;

/** Marks a line (or several, joined by newlines) to be printed whole. */
export const verbatim = (text: string): Verbatim => ({ verbatim: text });

/** Prose that continues at column `indent` when it wraps. */
export const hanging = (text: string, indent: number): Hanging => ({ text, indent });

/**
 * Wraps one line at spaces to `width`; continuation lines start at column `indent` (at 4 when that would
 * leave less than half the width). A word longer than the room left stays whole on its own line.
 */
export function wrapAtSpaces(line: string, width: number, indent: number): string[] {
  if (line.length <= width) return [line];
  const pad = ' '.repeat(indent < width / 2 ? indent : 4);
  const out: string[] = [];
  let cur = line.slice(0, indent);
  let fresh = true; // nothing but the head or the pad on cur yet
  for (const word of words(line.slice(indent))) {
    if (!fresh && cur.length + 1 + word.length > width) {
      out.push(cur);
      cur = pad + word;
    } else {
      cur = fresh ? cur + word : `${cur} ${word}`;
    }
    fresh = false;
  }
  out.push(cur);
  return out;
}

/**
 * The words of a line. A number keeps its unit ("60 s", "5 min"), so no line starts with a bare unit, and
 * a command quoted in backticks stays on one line, so it can be copied.
 */
function words(text: string): string[] {
  const out: string[] = [];
  const ticks = (t: string): number => t.match(/`/g)?.length ?? 0;
  // Only balanced backticks quote: a stray one (text from outside) must not glue the rest of the line.
  const quoting = ticks(text) % 2 === 0;
  let quoted = false; // the last word opened a backtick its own text did not close
  for (const w of text.split(/ +/)) {
    if (w === '') continue;
    const prev = out[out.length - 1];
    if (prev !== undefined && (quoted || (/\d$/.test(prev) && /^(?:ms|s|min|h|d)[.,;:)]*$/.test(w)))) out[out.length - 1] = `${prev} ${w}`;
    else out.push(w);
    if (quoting && ticks(w) % 2 === 1) quoted = !quoted;
  }
  return out;
}

/**
 * Where a prose line continues: under its first word, after its indent and a bullet ("- ", "! ") or a
 * label ("Why: ", "Risk: "), so a wrapped item still reads as one.
 */
function proseIndent(line: string): number {
  return /^ *(?:[-!] |(?:Why|Effect|Risk|Note): )?/.exec(line)![0].length;
}

/** The lines as text (each ending in a newline), prose wrapped to `width`; null keeps every line whole. */
export function fitText(lines: readonly TextLine[], width: number | null): string {
  const out: string[] = [];
  for (const l of lines) {
    if (typeof l !== 'string' && 'verbatim' in l) out.push(l.verbatim);
    else if (typeof l !== 'string') out.push(...(width === null ? [l.text] : wrapAtSpaces(l.text, width, l.indent)));
    else for (const p of l.split('\n')) out.push(...(width === null ? [p] : wrapAtSpaces(p, width, proseIndent(p))));
  }
  return `${out.join('\n')}\n`;
}

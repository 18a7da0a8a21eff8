// Help texts fitted to 80 columns, the width `--help` is read at. The texts are written as option tables
// ("  --flag ARG   what it does"); a line too long is wrapped at spaces, its continuation indented under
// the description (or under the line's own indent when it is all description), so nothing is cut.
import { wrapAtSpaces } from './text-fit.js';

/** The column a wrapped line continues at: where its description starts, else its own indent. */
function hangingIndent(line: string): number {
  const option = /^(\s*\S.*?\s{2,})(?=\S)/.exec(line);
  return option ? option[1]!.length : line.length - line.trimStart().length;
}

/**
 * The lines with each too-long line joined to its continuation: the next line, indented under its
 * description, that goes on with the same sentence (the long line did not end with a full stop, and the next is no
 * option or synopsis of its own). Wrapped anew, they read as one paragraph instead of ragged halves.
 */
function paragraphs(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const prev = out[out.length - 1];
    const lead = line.length - line.trimStart().length;
    const continues = prev !== undefined && prev.length > width && !prev.endsWith('.') && lead > 0 && lead === hangingIndent(prev) && /^\s+[^\s\-[]/.test(line);
    if (continues) out[out.length - 1] = `${prev} ${line.trim()}`;
    else out.push(line);
  }
  return out;
}

/** The help text with every line fitted to `width` columns. */
export function fitHelp(text: string, width = 80): string {
  return paragraphs(text.split('\n'), width)
    .flatMap((l) => wrapAtSpaces(l, width, hangingIndent(l)))
    .join('\n');
}

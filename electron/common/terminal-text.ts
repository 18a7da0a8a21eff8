// The one place where text from outside (capture bundles, socket tables, process names, host names,
// helper transcripts) is made safe for a terminal. A terminal obeys control characters: ESC starts
// sequences that set the window title, clear the screen or recolour text; CR overwrites a line; C1
// codes (U+0080–U+009F) are 8-bit ESC sequences to some terminals; bidi overrides reorder what is
// shown. Each one is replaced by a visible, inert escape such as `\x1b` so nothing is hidden or obeyed.

// C0 (U+0000–U+001F), DEL, C1, the bidi embeddings/overrides/isolates and marks, the line/paragraph
// separators (which some terminals and editors break lines on).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
// The same, except LF: for whole rendered documents whose line breaks are our own.
const UNSAFE_KEEP_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

function visible(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Whether text holds anything a terminal would obey or that reorders/breaks what is shown. */
export function hasTerminalControl(text: string, allowNewline = false): boolean {
  return new RegExp((allowNewline ? UNSAFE_KEEP_NEWLINE : UNSAFE).source, 'u').test(text);
}

/** One field (a host name, a process name, an error text): every control character made visible, line breaks too. */
export function cleanTerminalField(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** A whole rendered document: like cleanTerminalField but our own line feeds stay line feeds. */
export function cleanTerminalText(text: string): string {
  return text.replace(UNSAFE_KEEP_NEWLINE, visible);
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 but passes DEL, C1 and bidi controls through raw;
 * these become \uXXXX escapes too, so the document means the same and shows nothing hidden.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** A deep copy of value with every string (keys too) passed through cleanTerminalField. */
export function cleanTerminalFields<T>(value: T): T {
  return cleanDeep(value) as T;
}

function cleanDeep(v: unknown): unknown {
  if (typeof v === 'string') return cleanTerminalField(v);
  if (Array.isArray(v)) return v.map(cleanDeep);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [cleanTerminalField(k), cleanDeep(x)]));
  }
  return v;
}

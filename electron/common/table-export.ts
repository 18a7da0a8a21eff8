// Tables written out as CSV (RFC 4180) or JSON, for the dashboard's export buttons. CSV opened in a
// spreadsheet must not run anything: a text cell that starts with = + - @ tab or CR (what Excel, LibreOffice
// and Google Sheets read as a formula) gets a leading ' (OWASP "CSV injection"). Numbers are written as
// numbers: a finite number cannot carry a formula. Pure.

/** A cell as a column reads it from a row; null and undefined are written as an empty cell. */
export type Cell = string | number | boolean | null | undefined;

/** One column: its header and how to read its cell from a row. */
export interface ExportColumn<T> {
  header: string;
  value: (row: T) => Cell;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made inert for spreadsheets. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV field: quoted (quotes doubled) when it holds a comma, a quote, CR or LF. */
export function csvField(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  const text = typeof cell === 'number' ? (Number.isFinite(cell) ? String(cell) : '') : typeof cell === 'boolean' ? String(cell) : neutralizeFormula(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rows as CSV: a header line, one line per row, CRLF after every line (RFC 4180). */
export function toCsv<T>(columns: readonly ExportColumn<T>[], rows: Iterable<T>): string {
  const lines = [columns.map((c) => csvField(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The rows as a JSON array of objects keyed by the column headers (the same cells as the CSV, unescaped). */
export function toJson<T>(columns: readonly ExportColumn<T>[], rows: Iterable<T>): string {
  const out: Record<string, Cell>[] = [];
  for (const row of rows) out.push(Object.fromEntries(columns.map((c) => [c.header, c.value(row) ?? null])));
  return `${JSON.stringify(out, null, 2)}\n`;
}

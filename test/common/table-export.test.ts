import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvField, toCsv, toJson, type ExportColumn } from '../../electron/common/table-export.js';

interface Row {
  name: string;
  n: number | null;
}
const columns: ExportColumn<Row>[] = [
  { header: 'Name', value: (r) => r.name },
  { header: 'Count', value: (r) => r.n },
];

/** A strict RFC 4180 reader (quoted fields, doubled quotes, CRLF records), to read back what was written. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (c === '"' || c === '\r' || c === '\n') {
      throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('last record not ended by CRLF');
  return records;
}

describe('table export', () => {
  it('gives formula-like text cells a leading apostrophe: = + - @ tab CR', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvField(`${start}HYPERLINK("http://x")`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvField('=1+2')).toBe("'=1+2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('\r=x')).toBe(`"'\r=x"`);
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField(-5)).toBe('-5'); // a number cannot carry a formula
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('quotes per RFC 4180: comma, quote, CR, LF; quotes doubled; CRLF after every record', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(toCsv(columns, [{ name: 'x', n: 1 }, { name: 'y,z', n: null }])).toBe('Name,Count\r\nx,1\r\n"y,z",\r\n');
  });

  it('reads back, through a strict RFC 4180 parser, as the cells written (with the apostrophe on formulas)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', ' ', 'é') }), n: fc.option(fc.integer()) }), { maxLength: 20 }), (rows) => {
        const back = parseCsv(toCsv(columns, rows));
        expect(back[0]).toEqual(['Name', 'Count']);
        expect(back.slice(1)).toEqual(rows.map((r) => [/^[=+\-@\t\r]/.test(r.name) ? `'${r.name}` : r.name, r.n === null ? '' : String(r.n)]));
      }),
      { numRuns: 500 },
    );
  });

  it('writes JSON objects keyed by header with the raw cells', () => {
    expect(JSON.parse(toJson(columns, [{ name: '=x', n: 2 }, { name: 'y', n: null }]))).toEqual([
      { Name: '=x', Count: 2 },
      { Name: 'y', Count: null },
    ]);
  });
});

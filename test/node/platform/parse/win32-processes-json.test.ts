import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWin32ProcessesJson } from '../../../../electron/node/platform/parse/win32-processes-json.js';

describe('parseWin32ProcessesJson', () => {
  it('reads names by id, non-ASCII names in UTF-8 included', () => {
    const r = parseWin32ProcessesJson(readFileSync(new URL('../../../fixtures/win32/get-process.json', import.meta.url)));
    expect(r.problems).toEqual([]);
    expect(r.value?.get(4)).toBe('System');
    expect(r.value?.get(44328)).toBe('Größenrechner');
  });
  it('counts the elements it cannot read; never throws', () => {
    expect(parseWin32ProcessesJson('[{"Id":1,"ProcessName":"a"},{"Id":"x"}]', 'p').problems).toEqual(['p: 1 element(s) without a numeric Id and a ProcessName']);
    fc.assert(fc.property(fc.jsonValue(), (v) => void parseWin32ProcessesJson(JSON.stringify(v))), { numRuns: 300 });
  });
});

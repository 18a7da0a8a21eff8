import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTcpipEvents } from '../../../../electron/node/platform/parse/win32-events.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/win32/${name}`, import.meta.url));

describe('parseTcpipEvents', () => {
  it('counts 4227 and 4231 and finds the latest (TimeMs, as the backend asks)', () => {
    expect(parseTcpipEvents(fixture('tcpip-events.json'))).toEqual({
      value: { total: 3, byId: { 4227: 1, 4231: 2 }, latestMs: 1763900000000 },
      problems: [],
    });
  });
  it('reads the "/Date(ms)/" of Windows PowerShell 5.1 and ISO times of PowerShell 7', () => {
    expect(parseTcpipEvents(fixture('tcpip-events-timecreated.json')).value?.latestMs).toBe(1763900000000);
    expect(parseTcpipEvents('[{"Id":4231,"TimeCreated":"2025-11-23T12:00:00+01:00"}]').value?.latestMs).toBe(Date.parse('2025-11-23T11:00:00Z'));
  });
  it('reads an empty list as no event (not as unreadable)', () => {
    expect(parseTcpipEvents('[]')).toEqual({ value: { total: 0, byId: { 4227: 0, 4231: 0 }, latestMs: null }, problems: [] });
  });
  it('counts other ids as problems; never throws', () => {
    expect(parseTcpipEvents('[{"Id":1}]', 'e').problems).toEqual(['e: 1 element(s) are not event 4227 or 4231']);
    fc.assert(fc.property(fc.jsonValue(), (v) => void parseTcpipEvents(JSON.stringify(v))), { numRuns: 300 });
  });
});

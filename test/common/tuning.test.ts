import { describe, expect, it } from 'vitest';
import {
  canonicalKernelText,
  findHelperResult,
  formatReservedPorts,
  kernelText,
  parseHelperPlanDocument,
  parseKernelText,
  rangesCover,
  HELPER_RESULT_PREFIX,
  type HelperResult,
} from '../../electron/common/tuning.js';

const ok = {
  kind: 'portwatch-helper-plan',
  schema: 1,
  settings: [{ key: 'net.ipv4.ip_local_port_range', low: 32768, high: 65535 }],
  confirmTimeoutSec: 60,
};

describe('the helper plan document', () => {
  it('accepts a plan of allow-listed keys with integers in bounds', () => {
    expect(parseHelperPlanDocument(ok)).toEqual({ ok: true, value: ok });
  });

  it.each([
    ['an unknown key', { ...ok, settings: [{ key: 'net.ipv4.tcp_tw_recycle', value: 1 }] }, /settings\[0\]\.key/],
    ['tcp_max_tw_buckets', { ...ok, settings: [{ key: 'net.ipv4.tcp_max_tw_buckets', value: 1 }] }, /settings\[0\]\.key/],
    ['tcp_fin_timeout', { ...ok, settings: [{ key: 'net.ipv4.tcp_fin_timeout', value: 10 }] }, /settings\[0\]\.key/],
    ['a range below 1024', { ...ok, settings: [{ key: 'net.ipv4.ip_local_port_range', low: 80, high: 65535 }] }, /low/],
    ['a range above 65535', { ...ok, settings: [{ key: 'net.ipv4.ip_local_port_range', low: 32768, high: 65536 }] }, /high/],
    ['a range ending below its start', { ...ok, settings: [{ key: 'net.ipv4.ip_local_port_range', low: 50000, high: 40000 }] }, /ends below its start/],
    ['a value given as text', { ...ok, settings: [{ key: 'net.ipv4.ip_local_port_range', low: '32768', high: 65535 }] }, /low: expected an integer/],
    ['a fractional value', { ...ok, settings: [{ key: 'net.ipv4.ip_local_port_range', low: 32768.5, high: 65535 }] }, /low/],
    ['a negative value', { ...ok, settings: [{ key: 'net.ipv4.tcp_tw_reuse_delay', value: -1 }] }, /value/],
    ['tw_reuse 0', { ...ok, settings: [{ key: 'net.ipv4.tcp_tw_reuse', value: 0 }] }, /value/],
    ['tw_reuse 3', { ...ok, settings: [{ key: 'net.ipv4.tcp_tw_reuse', value: 3 }] }, /value/],
    ['a delay above 60000 ms', { ...ok, settings: [{ key: 'net.ipv4.tcp_tw_reuse_delay', value: 60001 }] }, /value/],
    ['a key twice', { ...ok, settings: [ok.settings[0], ok.settings[0]] }, /appears twice/],
    ['no setting', { ...ok, settings: [] }, /settings/],
    ['an extra field', { ...ok, shell: 'sh -c id' }, /unknown field/],
    ['an extra field in a setting', { ...ok, settings: [{ ...ok.settings[0], command: 'x' }] }, /unknown field/],
    ['a countdown of 0 s', { ...ok, confirmTimeoutSec: 0 }, /confirmTimeoutSec/],
    ['a countdown above an hour', { ...ok, confirmTimeoutSec: 3601 }, /confirmTimeoutSec/],
    ['another kind of document', { ...ok, kind: 'other' }, /kind/],
    ['reserved ports out of bounds', { ...ok, settings: [{ key: 'net.ipv4.ip_local_reserved_ports', ranges: [{ low: 0, high: 10 }] }] }, /low/],
    ['too many reserved ranges', { ...ok, settings: [{ key: 'net.ipv4.ip_local_reserved_ports', ranges: Array.from({ length: 257 }, (_, i) => ({ low: i + 1, high: i + 1 })) }] }, /ranges/],
  ])('refuses %s', (_name, doc, why) => {
    const v = parseHelperPlanDocument(doc);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.error).toMatch(why);
  });
});

describe('kernel text', () => {
  it('formats what the kernel shows and parses it back', () => {
    expect(kernelText({ key: 'net.ipv4.ip_local_port_range', low: 32768, high: 65535 })).toBe('32768\t65535');
    expect(kernelText({ key: 'net.ipv4.ip_local_reserved_ports', ranges: [{ low: 9001, high: 9010 }, { low: 8080, high: 8080 }, { low: 9000, high: 9000 }] })).toBe('8080,9000-9010');
    expect(canonicalKernelText('net.ipv4.ip_local_port_range', '32768 65535\n')).toBe('32768\t65535');
    expect(canonicalKernelText('net.ipv4.ip_local_reserved_ports', '')).toBe('');
    expect(parseKernelText('net.ipv4.ip_local_reserved_ports', '8080,x').ok).toBe(false);
    expect(parseKernelText('net.ipv4.tcp_tw_reuse', '0')).toEqual({ ok: true, setting: { key: 'net.ipv4.tcp_tw_reuse', value: 0 } });
  });

  it('says whether one list of ranges covers another', () => {
    expect(rangesCover([{ low: 8000, high: 9000 }], [{ low: 8080, high: 8080 }])).toBe(true);
    expect(rangesCover([{ low: 8080, high: 8080 }], [{ low: 8080, high: 8081 }])).toBe(false);
    expect(formatReservedPorts([])).toBe('');
  });
});

describe('finding the helper result in terminal output', () => {
  const r: HelperResult = { schema: 1, verb: 'status', outcome: 'status', message: 'ok', txid: null, changes: [], dropIn: null, overrides: [], deadline: null, transaction: null, history: [] };
  it('takes the last complete result line, even amid \\r\\n and prompts', () => {
    const out = `Password: \r\nportwatch-helper: hi\r\n${HELPER_RESULT_PREFIX}${JSON.stringify({ ...r, message: 'first' })}\r\n${HELPER_RESULT_PREFIX}${JSON.stringify(r)}\r\n`;
    expect(findHelperResult(out)?.message).toBe('ok');
  });
  it('ignores a line that is not a valid result', () => {
    expect(findHelperResult(`${HELPER_RESULT_PREFIX}{"schema":1}\n`)).toBeNull();
    expect(findHelperResult(`${HELPER_RESULT_PREFIX}${JSON.stringify(r)}`)).toBeNull();
  });
});

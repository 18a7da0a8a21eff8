import { describe, expect, it } from 'vitest';
import { checkChannel, checkPayload, checkSender, originOf } from '../../electron/desktop/ipc-checks.js';

const trusted = { webContentsId: 3, origin: 'app://portwatch' };
const known = new Set(['portwatch:getInfo']);

describe('IPC checks', () => {
  it('computes origins of custom schemes (where WHATWG URL says "null")', () => {
    expect(new URL('app://portwatch/index.html').origin).toBe('null');
    expect(originOf('app://portwatch/index.html#destination=x')).toBe('app://portwatch');
    expect(originOf('app://portwatch:99/')).toBe('app://portwatch:99');
    expect(originOf('https://example.org/a')).toBe('https://example.org');
    expect(originOf('app://u@portwatch/')).toBeNull();
    expect(originOf('nonsense')).toBeNull();
  });

  it('accepts only the trusted window\'s main frame at its origin', () => {
    expect(checkSender({ senderId: 3, isMainFrame: true, frameUrl: 'app://portwatch/index.html' }, trusted)).toBeNull();
    expect(checkSender({ senderId: 4, isMainFrame: true, frameUrl: 'app://portwatch/index.html' }, trusted)).toMatch(/not the app's window/);
    expect(checkSender({ senderId: 3, isMainFrame: false, frameUrl: 'app://portwatch/index.html' }, trusted)).toMatch(/subframe/);
    expect(checkSender({ senderId: 3, isMainFrame: true, frameUrl: null }, trusted)).toMatch(/gone/);
    expect(checkSender({ senderId: 3, isMainFrame: true, frameUrl: 'file:///index.html' }, trusted)).toMatch(/origin "file:\/\/" is not app:\/\/portwatch/);
    expect(checkSender({ senderId: 3, isMainFrame: true, frameUrl: 'app://portwatch/' }, { ...trusted, webContentsId: null })).toMatch(/no window/);
  });

  it('accepts only known channels under the prefix', () => {
    expect(checkChannel('portwatch:getInfo', 'portwatch:', known)).toBeNull();
    expect(checkChannel('portwatch:other', 'portwatch:', known)).toMatch(/unknown channel/);
    expect(checkChannel('x:getInfo', 'portwatch:', known)).toMatch(/lacks the portwatch: prefix/);
    expect(checkChannel(undefined, 'portwatch:', known)).toMatch(/not a string/);
  });

  it('builds the request from the channel\'s method and exactly one argument', () => {
    expect(checkPayload('getHistory', [{ windowSec: 300, buckets: 50 }], 9)).toEqual({ ok: true, request: { id: 9, method: 'getHistory', params: { windowSec: 300, buckets: 50 } } });
    expect(checkPayload('getInfo', [], 1)).toEqual({ ok: false, reason: 'expected one argument (the parameters), got 0' });
    expect(checkPayload('getInfo', [{ method: 'x' }], 1)).toEqual({ ok: false, reason: 'request.params: unknown field "method"' });
  });
});

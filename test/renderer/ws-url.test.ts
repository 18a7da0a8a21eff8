import { describe, expect, it } from 'vitest';
import { sameOriginWsUrl } from '../../renderer/src/api/ws-transport.js';

describe('the WebSocket URL of the page', () => {
  it('is /ws on the page\'s own origin, scoped to ?host=N when the host picker chose a host', () => {
    expect(sameOriginWsUrl({ protocol: 'http:', host: '127.0.0.1:9464' })).toBe('ws://127.0.0.1:9464/ws');
    expect(sameOriginWsUrl({ protocol: 'https:', host: 'pw.example:443', search: '' })).toBe('wss://pw.example:443/ws');
    expect(sameOriginWsUrl({ protocol: 'http:', host: '127.0.0.1:9464', search: '?host=3' })).toBe('ws://127.0.0.1:9464/ws?host=3');
  });

  it('carries nothing else from the address bar: a host that is not a small number is dropped', () => {
    for (const search of ['?host=-1', '?host=1e3', '?host=123', '?host=1&token=x', '?host=%0a1', '?host=', '?token=abc'])
      expect(sameOriginWsUrl({ protocol: 'http:', host: 'h:1', search }), search).toMatch(/^ws:\/\/h:1\/ws(\?host=1)?$/);
    expect(sameOriginWsUrl({ protocol: 'http:', host: 'h:1', search: '?host=1e3' })).toBe('ws://h:1/ws');
  });
});

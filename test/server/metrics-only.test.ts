// serve --metrics-only through startServe: the exporter answers /metrics and nothing else.
import { afterEach, describe, expect, it } from 'vitest';
import { rawHttp, rawWebSocket, startFixture, type Fixture } from './serve-fixture.js';
import { makeSample } from '../node/service/make-sample.js';
import { parseExposition } from './exposition.js';

describe('serve --metrics-only', () => {
  let f: Fixture | null = null;
  afterEach(async () => {
    await f?.close();
    f = null;
  });

  it('answers /metrics (public on loopback) and / with one line; no dashboard files, no WebSocket', async () => {
    f = await startFixture({ metricsOnly: true, metricsPublic: true });
    f.sampler.emitSample(makeSample(Date.now(), 7));
    const m = await rawHttp(f.port, 'GET', '/metrics');
    expect(m.status).toBe(200);
    expect(m.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(parseExposition(m.body).get('portwatch_worst_destination_in_use')).toBe(7);
    expect((await rawHttp(f.port, 'GET', '/')).body).toBe('Portwatch exporter: metrics at /metrics\n');
    expect((await rawHttp(f.port, 'GET', '/index.html')).status).toBe(404);
    expect((await rawHttp(f.port, 'GET', `/?token=${f.token}`)).body).not.toContain('<');
    const ws = await rawWebSocket(f.port, `/ws?token=${f.token}`);
    expect(ws.status).toBe(404);
    ws.socket.destroy();
  });

  it('refuses other methods, and a Host that does not name it (DNS rebinding) on loopback', async () => {
    f = await startFixture({ metricsOnly: true, metricsPublic: true });
    expect((await rawHttp(f.port, 'POST', '/metrics', {}, 'x')).status).toBe(405);
    expect((await rawHttp(f.port, 'GET', '/metrics', { host: `evil.example:${f.port}` })).status).toBe(403);
  });

  it('needs the token when not public', async () => {
    f = await startFixture({ metricsOnly: true, metricsPublic: false });
    expect((await rawHttp(f.port, 'GET', '/metrics')).status).toBe(401);
    expect((await rawHttp(f.port, 'GET', '/metrics', { authorization: `Bearer ${f.token}` })).status).toBe(200);
    expect((await rawHttp(f.port, 'GET', '/metrics', { authorization: 'Bearer wrong' })).status).toBe(401);
  });
});

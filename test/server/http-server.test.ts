// The security matrix of `portwatch serve` against the real server: token, Host, Origin, methods, bodies,
// headers. Only the allowed requests pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieName } from '../../electron/server/auth.js';
import { frame, rawHttp, rawWebSocket, readFrames, startFixture, type Fixture } from './serve-fixture.js';

let f: Fixture;
let pub: Fixture;
beforeAll(async () => {
  f = await startFixture();
  pub = await startFixture({ metricsPublic: true });
});
afterAll(async () => {
  await f.close();
  await pub.close();
});

const bearer = () => ({ authorization: `Bearer ${f.token}` });
const cookie = () => ({ cookie: `${cookieName(f.port)}=${f.token}` });

describe('the token', () => {
  it('is at least 128 bits and printed inside the URL to open', () => {
    expect(Buffer.from(f.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(f.url).toBe(`http://127.0.0.1:${f.port}/?token=${f.token}`);
  });

  it('is required for the page and its assets', async () => {
    expect((await rawHttp(f.port, 'GET', '/')).status).toBe(401);
    expect((await rawHttp(f.port, 'GET', '/assets/app.js')).status).toBe(401);
    expect((await rawHttp(f.port, 'GET', '/', { authorization: `Bearer ${'A'.repeat(f.token.length)}` })).status).toBe(401);
    expect((await rawHttp(f.port, 'GET', '/?token=wrong')).status).toBe(401);
    expect((await rawHttp(f.port, 'GET', '/', { cookie: `${cookieName(f.port)}=${f.token.slice(0, -1)}` })).status).toBe(401);
  });

  it('opens the page when presented as a header or as the cookie', async () => {
    const a = await rawHttp(f.port, 'GET', '/', bearer());
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toContain('text/html');
    const b = await rawHttp(f.port, 'GET', '/assets/app.js', cookie());
    expect(b.status).toBe(200);
    expect(b.headers['content-type']).toContain('text/javascript');
  });

  it('in the URL is traded for an HttpOnly, SameSite=Strict cookie and removed from the address bar', async () => {
    const r = await rawHttp(f.port, 'GET', `/?token=${f.token}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const set = String(r.headers['set-cookie']);
    expect(set).toContain(`${cookieName(f.port)}=${f.token}`);
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
  });

  it('guards /metrics unless the metrics were opened with --metrics-public', async () => {
    expect((await rawHttp(f.port, 'GET', '/metrics')).status).toBe(401);
    const ok = await rawHttp(f.port, 'GET', '/metrics', bearer());
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect((await rawHttp(pub.port, 'GET', '/metrics')).status).toBe(200);
    expect((await rawHttp(pub.port, 'GET', '/')).status).toBe(401);
  });
});

describe('the Host header', () => {
  it.each([['evil.example'], [`evil.example:${'PORT'}`], ['127.0.0.1:1'], ['localhost.evil.example']])('refuses %s, token or not', async (host) => {
    const h = host.replace('PORT', String(f.port));
    expect((await rawHttp(f.port, 'GET', '/', { ...bearer(), host: h })).status).toBe(403);
    expect((await rawHttp(pub.port, 'GET', '/metrics', { host: h })).status).toBe(403);
  });

  it('accepts the loopback names of this port', async () => {
    for (const h of [`127.0.0.1:${f.port}`, `localhost:${f.port}`, `LOCALHOST:${f.port}`]) expect((await rawHttp(f.port, 'GET', '/', { ...bearer(), host: h })).status).toBe(200);
  });
});

describe('read-only', () => {
  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('refuses %s everywhere, even with the token', async (method) => {
    for (const path of ['/', '/api/config', '/metrics', '/ws', '/api/sysctl/ip_local_port_range']) {
      const r = await rawHttp(f.port, method, path, { ...bearer(), 'content-type': 'application/json' }, '{"low":1024}');
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
  });

  it('refuses a request body and unknown paths', async () => {
    expect((await rawHttp(f.port, 'GET', '/', { ...bearer(), 'content-type': 'text/plain' }, 'x'.repeat(1000))).status).toBe(413);
    expect((await rawHttp(f.port, 'GET', '/api/config', bearer())).status).toBe(404);
    expect((await rawHttp(f.port, 'GET', '/../../../etc/passwd', bearer())).status).toBe(404);
    expect((await rawHttp(f.port, 'GET', '/%2e%2e/%2e%2e/etc/passwd', bearer())).status).toBe(404);
  });
});

describe('security headers', () => {
  it('come with every answer, refusals included', async () => {
    const answers = await Promise.all([
      rawHttp(f.port, 'GET', '/', bearer()),
      rawHttp(f.port, 'GET', '/'),
      rawHttp(f.port, 'POST', '/'),
      rawHttp(f.port, 'GET', '/', { host: 'evil.example' }),
      rawHttp(f.port, 'GET', '/metrics', bearer()),
    ]);
    for (const r of answers) {
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe('the WebSocket handshake', () => {
  const origin = () => `http://127.0.0.1:${f.port}`;

  it('is refused without the token', async () => {
    const r = await rawWebSocket(f.port, '/ws', { Origin: origin() });
    expect(r.status).toBe(401);
    r.socket.destroy();
  });

  it.each(['http://evil.example', 'null', 'http://127.0.0.1:1', 'https://127.0.0.1:PORT', 'file://'])('is refused from Origin %s', async (o) => {
    const r = await rawWebSocket(f.port, '/ws', { Origin: o.replace('PORT', String(f.port)), Cookie: `${cookieName(f.port)}=${f.token}` });
    expect(r.status).toBe(403);
    r.socket.destroy();
  });

  it('is refused with a foreign Host', async () => {
    const r = await rawWebSocket(f.port, '/ws', { Host: 'evil.example', Origin: 'http://evil.example', Cookie: `${cookieName(f.port)}=${f.token}` });
    expect(r.status).toBe(403);
    r.socket.destroy();
  });

  it('is accepted from the page of this server with its cookie, and answers a request', async () => {
    const r = await rawWebSocket(f.port, '/ws', { Origin: origin(), Cookie: `${cookieName(f.port)}=${f.token}` });
    expect(r.status).toBe(101);
    r.socket.write(frame(1, Buffer.from(JSON.stringify({ id: 5, method: 'getInfo', params: {} }))));
    const got = await readFrames(r.socket, (fr) => fr.some((x) => x.payload.toString().includes('"id":5')));
    const answer = got.frames.map((x) => JSON.parse(x.payload.toString()) as { id?: number; ok?: boolean }).find((m) => m.id === 5);
    expect(answer?.ok).toBe(true);
    r.socket.destroy();
  });

  it('bounds the number of WebSocket clients', async () => {
    const open = [];
    for (let i = 0; i < 16; i++) open.push(await rawWebSocket(f.port, '/ws', { Origin: origin(), Cookie: `${cookieName(f.port)}=${f.token}` }));
    expect(open.every((o) => o.status === 101)).toBe(true);
    const extra = await rawWebSocket(f.port, '/ws', { Origin: origin(), Cookie: `${cookieName(f.port)}=${f.token}` });
    expect(extra.status).toBe(503);
    for (const o of [...open, extra]) o.socket.destroy();
  });
});

describe('--allow-host', () => {
  it('answers to the extra names given, and still refuses every other Host', async () => {
    const g = await startFixture({ allowHosts: ['localhost.localdomain'] });
    try {
      const auth = { authorization: `Bearer ${g.token}` };
      expect((await rawHttp(g.port, 'GET', '/', { ...auth, host: `localhost.localdomain:${g.port}` })).status).toBe(200);
      expect((await rawHttp(g.port, 'GET', '/', { ...auth, host: `evil.example:${g.port}` })).status).toBe(403);
    } finally {
      await g.close();
    }
  });
});

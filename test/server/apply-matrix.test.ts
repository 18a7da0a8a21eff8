// `portwatch serve --allow-apply` against the real server: which requests may change the system. Without
// the flag every state-changing request is refused (and says how to enable it); with it, only a WebSocket
// opened by the dashboard page of this server (its own Origin, the token, and the page credential cookie
// that only the printed URL's launch key gives) may apply, keep or revert. No token, a foreign Origin,
// another port's page, a rebinding Host, a client without an Origin, the token alone with a forged Origin
// (a stolen Prometheus token), the page credential anywhere but its cookie, or any HTTP method but
// GET/HEAD: refused, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieName, pageCookieName } from '../../electron/server/auth.js';
import { SERVE_APPLY_OFF } from '../../electron/server/serve.js';
import type { TuningPlanView, TuningSession } from '../../electron/common/tuning-contract.js';
import { createTuningMachine, type TuningMachine } from '../node/service/tuning-world.js';
import { FrameLog, openPrintedUrl, rawHttp, rawWebSocket, startFixture, type Fixture } from './serve-fixture.js';

const canRunAsRoot = process.getuid?.() === 0;

// What the dashboard page sends: its Origin and the cookies the printed URL gave it.
const pageCookies = new Map<number, string>();
const page = (f: Fixture) => ({ Origin: `http://127.0.0.1:${f.port}`, Cookie: pageCookies.get(f.port) ?? `${cookieName(f.port)}=${f.token}` });

describe('without --allow-apply', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it('shows the plan but refuses every state-changing request, even from its own page, saying how to enable it', async () => {
    const ws = await rawWebSocket(f.port, '/ws', page(f));
    expect(ws.status).toBe(101);
    const c = new FrameLog(ws.socket);
    const plan = await c.call('getTuningPlan', {});
    expect(plan.ok).toBe(true);
    const view = plan.result as TuningPlanView;
    expect(view.apply).toMatchObject({ allowed: false, reason: SERVE_APPLY_OFF });
    expect(SERVE_APPLY_OFF).toContain('portwatch serve --allow-apply');
    const changing: [string, unknown][] = [
      ['applyTuning', { planId: view.planId, steps: ['widen-range'] }],
      ['keepTuning', { sessionId: 'ts-0123456789ab' }],
      ['revertTuning', { sessionId: 'ts-0123456789ab' }],
      ['revertTuning', { txid: '20261124T101500Z-a1b2c3' }],
      ['writeTuningTerminal', { sessionId: 'ts-0123456789ab', data: 'password\r' }],
      ['resizeTuningTerminal', { sessionId: 'ts-0123456789ab', cols: 80, rows: 24 }],
    ];
    for (const [method, params] of changing) {
      const r = await c.call(method, params);
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: `${method}: ${SERVE_APPLY_OFF}` } });
    }
    expect(c.messages.some((x) => x.event === 'tuningStatus' || x.event === 'tuningTerminal')).toBe(false);
    ws.socket.destroy();
  });
});

describe.skipIf(!canRunAsRoot)('with --allow-apply (helper run directly as root on a proc root of plain files)', () => {
  let f: Fixture;
  let m: TuningMachine;
  beforeAll(async () => {
    m = await createTuningMachine({ allowApply: true });
    f = await startFixture({ allowApply: true }, m.tuning);
    const opened = await openPrintedUrl(f);
    expect(opened.names).toEqual([cookieName(f.port), pageCookieName(f.port)]);
    pageCookies.set(f.port, opened.cookie);
  });
  afterAll(async () => {
    await f.close();
    await m.remove();
  });

  const planId = async (): Promise<string> => {
    const ws = await rawWebSocket(f.port, '/ws', page(f));
    const r = await new FrameLog(ws.socket).call('getTuningPlan', {});
    ws.socket.destroy();
    return (r.result as TuningPlanView).planId;
  };

  it('refuses the handshake without the token, from a foreign Origin, from another port, and with a rebinding Host', async () => {
    const cookie = { Cookie: `${cookieName(f.port)}=${f.token}` };
    const cases: [Record<string, string>, number][] = [
      [{ Origin: `http://127.0.0.1:${f.port}` }, 401],
      [{ Origin: `http://127.0.0.1:${f.port}`, Cookie: `${cookieName(f.port)}=${'x'.repeat(43)}` }, 401],
      [{ Origin: 'http://evil.example', ...cookie }, 403],
      [{ Origin: 'null', ...cookie }, 403],
      [{ Origin: `http://127.0.0.1:${f.port + 1}`, ...cookie }, 403],
      [{ Origin: `https://127.0.0.1:${f.port}`, ...cookie }, 403],
      [{ Host: 'attacker.example', Origin: 'http://attacker.example', ...cookie }, 403],
    ];
    for (const [headers, status] of cases) {
      const r = await rawWebSocket(f.port, '/ws', headers);
      expect([headers, r.status]).toEqual([headers, status]);
      r.socket.destroy();
    }
  });

  it('keeps a client without an Origin read-only even with the token', async () => {
    const ws = await rawWebSocket(f.port, '/ws', { Authorization: `Bearer ${f.token}` });
    expect(ws.status).toBe(101);
    const c = new FrameLog(ws.socket);
    const plan = await c.call('getTuningPlan', {});
    expect((plan.result as TuningPlanView).apply.allowed).toBe(true);
    const r = await c.call('applyTuning', { planId: (plan.result as TuningPlanView).planId, steps: ['widen-range'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('may not change settings') } });
    ws.socket.destroy();
    expect(await m.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
  });

  it('answers no HTTP method but GET and HEAD, even a same-origin JSON POST with the token', async () => {
    const id = await planId();
    for (const path of ['/ws', '/', '/api/applyTuning']) {
      const body = JSON.stringify({ id: 1, method: 'applyTuning', params: { planId: id, steps: ['widen-range'] } });
      const r = await rawHttp(f.port, 'POST', path, { authorization: `Bearer ${f.token}`, origin: `http://127.0.0.1:${f.port}`, 'content-type': 'application/json' }, body);
      expect(r.status).toBe(405);
    }
    expect(await m.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
  });

  it('lets its own page apply, stream the terminal, and revert: the old values are back exactly', async () => {
    const ws = await rawWebSocket(f.port, '/ws', page(f));
    expect(ws.status).toBe(101);
    const c = new FrameLog(ws.socket);
    const plan = (await c.call('getTuningPlan', {})).result as TuningPlanView;
    const applied = await c.call('applyTuning', { planId: plan.planId, steps: ['widen-range'] });
    expect(applied.ok).toBe(true);
    const s = applied.result as TuningSession;
    // The change is live and verified: the session says so in an event.
    const status = (x: { event?: string; data?: unknown }) => (x.event === 'tuningStatus' ? (x.data as TuningSession) : null);
    await c.waitFor((x) => status(x)?.id === s.id && status(x)?.verification?.ok === true);
    expect(await m.readSysctl('ip_local_port_range')).toBe('32768\t65535\n');
    const reverted = await c.call('revertTuning', { sessionId: s.id });
    expect(reverted).toMatchObject({ ok: true, result: { phase: 'reverted', ended: true } });
    expect(await m.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
    const terminal = c.messages.filter((x) => x.event === 'tuningTerminal').map((x) => (x.data as { data: string }).data).join('');
    expect(terminal).toContain('Writing net.ipv4.ip_local_port_range = 32768 65535');
    expect(terminal).toContain('old values back (reverted on request)');
    ws.socket.destroy();
  });

  describe('the token alone changes nothing (a stolen Prometheus token, forged Origins)', () => {
    const origin = () => `http://127.0.0.1:${f.port}`;
    const tokenCookie = () => `${cookieName(f.port)}=${f.token}`;
    const pageValue = () => pageCookies.get(f.port)!.split('; ').find((c) => c.startsWith(pageCookieName(f.port)))!.split('=')[1]!;

    const refusedToChange = async (headers: Record<string, string>, path = '/ws'): Promise<void> => {
      const ws = await rawWebSocket(f.port, path, headers);
      if (ws.status !== 101) {
        // Refused at the handshake (a Bearer page credential is a wrong token): nothing to change either.
        expect([headers, ws.status]).toEqual([headers, 401]);
        ws.socket.destroy();
        return;
      }
      const c = new FrameLog(ws.socket);
      const plan = (await c.call('getTuningPlan', {})).result as TuningPlanView;
      for (const [method, params] of [
        ['applyTuning', { planId: plan.planId, steps: ['widen-range'] }],
        ['keepTuning', { sessionId: 'ts-0123456789ab' }],
        ['revertTuning', { txid: '20261124T101500Z-a1b2c3' }],
        ['writeTuningTerminal', { sessionId: 'ts-0123456789ab', data: 'password\r' }],
      ] as const) {
        expect([headers, await c.call(method, params)]).toMatchObject([headers, { ok: false, error: { code: 'forbidden' } }]);
      }
      ws.socket.destroy();
    };

    it('refuses every change to the token as a Bearer header or a cookie, with the page\'s own Origin forged', async () => {
      await refusedToChange({ Origin: origin(), Authorization: `Bearer ${f.token}` });
      await refusedToChange({ Origin: origin(), Cookie: tokenCookie() });
      await refusedToChange({ Origin: `http://localhost:${f.port}`, Cookie: tokenCookie() });
      expect(await m.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
    });

    it('never takes the page credential from a query, a Bearer header or a wrong cookie', async () => {
      await refusedToChange({ Origin: origin(), Cookie: tokenCookie() }, `/ws?page=${pageValue()}`);
      await refusedToChange({ Origin: origin(), Cookie: tokenCookie() }, `/ws?token=${pageValue()}`);
      await refusedToChange({ Origin: origin(), Cookie: tokenCookie(), Authorization: `Bearer ${pageValue()}` });
      await refusedToChange({ Origin: origin(), Cookie: `${tokenCookie()}; ${pageCookieName(f.port)}=${'A'.repeat(43)}` });
      await refusedToChange({ Origin: origin(), Cookie: `${tokenCookie()}; ${pageCookieName(f.port + 1)}=${pageValue()}` });
      expect(await m.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
    });

    it('gives the page credential only for the launch key of the printed URL, never for the token alone', async () => {
      const names = async (path: string): Promise<string[]> =>
        ([] as string[]).concat((await rawHttp(f.port, 'GET', path)).headers['set-cookie'] ?? []).map((c) => c.split('=')[0]!);
      expect(await names(`/?token=${f.token}`)).toEqual([cookieName(f.port)]);
      expect(await names(`/?token=${f.token}&page=${f.token}`)).toEqual([cookieName(f.port)]);
      expect(await names(`/?token=${f.token}&page=${'A'.repeat(43)}`)).toEqual([cookieName(f.port)]);
      expect(await names(`/?page=${f.launchKey}`)).toEqual([]);
      expect(await names(`/?token=${f.token}&page=${f.launchKey}`)).toEqual([cookieName(f.port), pageCookieName(f.port)]);
      const set = ([] as string[]).concat((await rawHttp(f.port, 'GET', `/?token=${f.token}&page=${f.launchKey}`)).headers['set-cookie'] ?? []);
      expect(set[1]).toMatch(/; HttpOnly; SameSite=Strict; Path=\/$/);
      expect(set[1]).not.toContain(f.launchKey);
      expect(set[1]).not.toContain(f.token);
    });
  });
});

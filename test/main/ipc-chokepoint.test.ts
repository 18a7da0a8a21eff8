import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { ContractError, HOST_LOGIN_METHODS, PARAMS_SCHEMAS, STATE_CHANGING_METHODS, type MethodName, type MonitorEndpoint, type MonitorEvent, type ResponseMessage } from '../../electron/common/contract.js';
import { validate, type Schema } from '../../electron/common/schema.js';
import type { IpcInvokeEventLike } from '../../electron/main/electron-api.js';
import { forwardHostEvents, IpcChokepoint, senderFacts } from '../../electron/main/ipc-chokepoint.js';
import { REQUEST_CHANNELS } from '../../electron/common/ipc-channels.js';
import { FakeIpcMain, FakeWebContents, ipcEvent } from '../desktop/fake-electron.js';
import { FakeMonitor } from '../desktop/fake-monitor.js';
import { defaultSettings } from '../../electron/desktop/settings.js';

const OWN = { id: 7 };
const PAGE = 'app://portwatch/index.html';
const CHANNELS = Object.entries(REQUEST_CHANNELS) as [MethodName, string][];
/** Logins are the main process's, for a remote host's page: no monitor is ever asked. */
const isLogin = (m: MethodName): boolean => (HOST_LOGIN_METHODS as readonly string[]).includes(m);
const MONITOR_CHANNELS = CHANNELS.filter(([m]) => !isLogin(m));
const LOGIN_CHANNELS = CHANNELS.filter(([m]) => isLogin(m));
const FUZZ_RUNS = 1000;

let ipc: FakeIpcMain;
let monitor: FakeMonitor;
let chokepoint: IpcChokepoint;
let log: string[];
let windowOpen: boolean;

beforeEach(() => {
  ipc = new FakeIpcMain();
  const s = defaultSettings();
  monitor = new FakeMonitor({ cpuBudget: s.sampling.cpuBudget, analysis: s.analysis });
  log = [];
  windowOpen = true;
  chokepoint = new IpcChokepoint({
    ipcMain: ipc,
    endpoint: monitor.endpoint,
    trusted: () => ({ webContentsId: windowOpen ? OWN.id : null, origin: 'app://portwatch' }),
    log: (l) => log.push(l),
  });
  chokepoint.install();
});

const validParams: Record<MethodName, unknown> = {
  getInfo: {},
  getSnapshot: {},
  getHistory: { windowSec: 300, buckets: 100 },
  getEvents: { limit: 10 },
  getEpisodes: { sinceMs: 0 },
  getConnections: { offset: 0, limit: 50 },
  getNamespaces: {},
  getHosts: {},
  getTuningPlan: {},
  reviewTuning: { planId: 'plan-0123456789abcdef0123', steps: ['widen-range'] },
  getTuningStatus: {},
  applyTuning: { planId: 'plan-0123456789abcdef0123', steps: ['widen-range'] },
  writeTuningTerminal: { sessionId: 'ts-0123456789ab', data: 'secret\r' },
  resizeTuningTerminal: { sessionId: 'ts-0123456789ab', cols: 80, rows: 24 },
  keepTuning: { sessionId: 'ts-0123456789ab' },
  revertTuning: { sessionId: 'ts-0123456789ab' },
  startHostLogin: {},
  writeHostLogin: { loginId: 'hl-0123456789ab', data: 'secret\r' },
  resizeHostLogin: { loginId: 'hl-0123456789ab', cols: 80, rows: 24 },
  cancelHostLogin: { loginId: 'hl-0123456789ab' },
};

const isValid = (method: MethodName, params: unknown): boolean => validate(PARAMS_SCHEMAS[method] as Schema<unknown>, params, 'p').ok;

describe('IPC chokepoint', () => {
  it('registers exactly one handler per contract method, all under the portwatch: prefix', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(CHANNELS.map(([, c]) => c).sort());
    expect([...ipc.handlers.keys()].every((c) => c.startsWith('portwatch:'))).toBe(true);
  });

  // What this monitor answers a valid request: the chokepoint vouches for its own window (mayChange), but
  // this test monitor has applying off, so tuning changes are still refused; a plan id it never made is a conflict.
  const answer = (method: MethodName): 'ok' | 'forbidden' | 'conflict' =>
    (STATE_CHANGING_METHODS as readonly string[]).includes(method) ? 'forbidden' : method === 'reviewTuning' ? 'conflict' : 'ok';

  it.each(LOGIN_CHANNELS)('answers a valid %s from this computer\'s page itself (it needs no login) and asks no monitor', async (method, channel) => {
    const r = (await ipc.invoke(channel, ipcEvent(OWN, PAGE), validParams[method])) as ResponseMessage;
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable', message: `${method}: this computer needs no login` } });
    expect(monitor.reached).toEqual([]);
  });

  it.each(MONITOR_CHANNELS)('passes a valid %s from its own window to the monitor, as a validated request', async (method, channel) => {
    const r = (await ipc.invoke(channel, ipcEvent(OWN, PAGE), validParams[method])) as ResponseMessage;
    expect(r.ok ? 'ok' : r.error.code).toBe(answer(method));
    expect(monitor.reached).toEqual([{ id: expect.any(Number), method, params: validParams[method] }]);
    expect(monitor.contexts).toEqual([{ mayChange: true }]);
  });

  const foreign: [string, IpcInvokeEventLike][] = [
    ['another webContents', ipcEvent({ id: 8 }, PAGE)],
    ['a subframe of its own window', ipcEvent(OWN, PAGE, { subframe: true })],
    ['a frame that is gone', ipcEvent(OWN, PAGE, { frameGone: true })],
    ['a file:// page', ipcEvent(OWN, 'file:///work/main/out/renderer/index.html')],
    ['a remote https page', ipcEvent(OWN, 'https://evil.example/index.html')],
    ['another app:// host', ipcEvent(OWN, 'app://evil/index.html')],
    ['a look-alike host', ipcEvent(OWN, 'app://portwatch.evil.example/index.html')],
    ['a URL with credentials', ipcEvent(OWN, 'app://user:pw@portwatch/index.html')],
    ['another port', ipcEvent(OWN, 'app://portwatch:8080/index.html')],
    ['about:blank', ipcEvent(OWN, 'about:blank')],
    ['an unparseable URL', ipcEvent(OWN, 'not a url')],
  ];

  it.each(foreign)('refuses %s, logs why, and nothing reaches the monitor', async (_name, event) => {
    const r = (await ipc.invoke(REQUEST_CHANNELS.getInfo, event, {})) as ResponseMessage;
    expect(r).toEqual({ id: null, ok: false, error: { code: 'bad-request', message: 'refused' } });
    expect(monitor.reached).toEqual([]);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^IPC refused: portwatch:getInfo: /);
  });

  it('refuses everyone while no window is open', async () => {
    windowOpen = false;
    const r = (await ipc.invoke(REQUEST_CHANNELS.getInfo, ipcEvent(OWN, PAGE), {})) as ResponseMessage;
    expect(r.ok).toBe(false);
    expect(log[0]).toContain('no window is open');
    expect(monitor.reached).toEqual([]);
  });

  it.each([['other:getInfo'], ['portwatch:getSecrets'], ['portwatch:'], ['portwatch:getInfo '], ['PORTWATCH:getInfo'], [42], [null]])(
    'refuses channel %j, and nothing reaches the monitor',
    async (channel) => {
      const r = await chokepoint.receive(channel, ipcEvent(OWN, PAGE), [{}]);
      expect(r.ok).toBe(false);
      expect(monitor.reached).toEqual([]);
      expect(log[0]).toMatch(/channel/);
    },
  );

  it('has no handler at all for channels outside the contract (Electron rejects the invoke)', async () => {
    await expect(ipc.invoke('portwatch:setPortRange', ipcEvent(OWN, PAGE), {})).rejects.toThrow(/No handler/);
    expect(monitor.reached).toEqual([]);
  });

  it('refuses a call with other than exactly one argument', async () => {
    const none = (await ipc.invoke(REQUEST_CHANNELS.getInfo, ipcEvent(OWN, PAGE))) as ResponseMessage;
    const two = (await ipc.invoke(REQUEST_CHANNELS.getInfo, ipcEvent(OWN, PAGE), {}, {})) as ResponseMessage;
    expect(none.ok || two.ok).toBe(false);
    expect(monitor.reached).toEqual([]);
  });

  it('names the culprit field when the schema refuses', async () => {
    const r = (await ipc.invoke(REQUEST_CHANNELS.getHistory, ipcEvent(OWN, PAGE), { windowSec: 5, buckets: 100 })) as ResponseMessage;
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('request.params.windowSec') } });
    expect(monitor.reached).toEqual([]);
  });

  it('limits requests awaiting an answer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = new IpcChokepoint({
      ipcMain: new FakeIpcMain(),
      endpoint: { handle: async () => (await gate, { id: 1, ok: true, result: {} }), subscribe: () => () => undefined },
      trusted: () => ({ webContentsId: OWN.id, origin: 'app://portwatch' }),
      log: () => undefined,
      maxInFlight: 2,
    });
    const a = slow.receive(REQUEST_CHANNELS.getInfo, ipcEvent(OWN, PAGE), [{}]);
    const b = slow.receive(REQUEST_CHANNELS.getInfo, ipcEvent(OWN, PAGE), [{}]);
    const c = await slow.receive(REQUEST_CHANNELS.getInfo, ipcEvent(OWN, PAGE), [{}]);
    expect(c).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
    release();
    expect((await a).ok && (await b).ok).toBe(true);
  });

  it('bounds its refusal log under a flood', async () => {
    for (let i = 0; i < 500; i++) await chokepoint.receive(REQUEST_CHANNELS.getInfo, ipcEvent({ id: 99 }, PAGE), [{}]);
    expect(log.length).toBeLessThanOrEqual(20);
    expect(chokepoint.refusals).toBe(500);
  });

  // Fuzz: arbitrary payloads per channel. A payload reaches the monitor exactly when the contract's schema
  // accepts it; the chokepoint never throws and always answers.
  const payload = fc.oneof(
    { weight: 3, arbitrary: fc.anything({ maxDepth: 4, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true }) },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          windowSec: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(60, 300, 604800, 604801, 59, Number.NaN, Infinity), fc.string()),
          buckets: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(10, 2000, 2001, 9, -1), fc.string()),
          limit: fc.oneof(fc.integer(), fc.constantFrom(1, 1000, 1001, 0, 0.5)),
          __proto__: fc.object(),
          extra: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom({}, null, undefined, [], '', 0, { toString: 1 }, JSON.parse('{"__proto__": {"polluted": true}}')) },
  );

  it.each(CHANNELS)(`never crashes and lets only schema-valid payloads reach the monitor (${FUZZ_RUNS} fuzzed payloads on %s)`, async (method, channel) => {
    let runs = 0;
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(payload, fc.integer({ min: 0, max: 3 }), async (params, extraArgs) => {
        runs++;
        const before = monitor.reached.length;
        const args = [params, ...Array.from({ length: extraArgs === 3 ? 1 : 0 }, () => params)];
        const r = (await ipc.invoke(channel, ipcEvent(OWN, PAGE), ...args)) as ResponseMessage;
        const shouldPass = args.length === 1 && isValid(method, params);
        if (shouldPass) valid++;
        expect(r.ok || r.error.code !== 'bad-request').toBe(shouldPass);
        expect(monitor.reached.length - before).toBe(shouldPass && !isLogin(method) ? 1 : 0);
        if (!shouldPass && !r.ok) expect(['bad-request']).toContain(r.error.code);
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(runs).toBe(FUZZ_RUNS);
    expect(({}) as Record<string, unknown>).not.toHaveProperty('polluted');
    // Not all noise: the generator also produces payloads the schema accepts.
    if (['getInfo', 'getSnapshot', 'getEvents', 'getTuningPlan', 'getTuningStatus'].includes(method)) expect(valid).toBeGreaterThan(0);
  });

  it(`refuses every sender but its own window's main frame at app://portwatch (${FUZZ_RUNS} fuzzed senders)`, async () => {
    const url = fc.oneof(
      fc.webUrl({ withFragments: true, withQueryParameters: true }),
      fc.string(),
      fc.constantFrom(PAGE, 'app://portwatch/', 'app://portwatch/x#y', 'app://portwatch', `${PAGE}#destination=x`, `${PAGE}?host=0`, `${PAGE}?host=1`, `${PAGE}?host=1&x=2`, `${PAGE}?x=1`, 'app://portwatch/other.html'),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 12 }), url, fc.boolean(), fc.boolean(), async (id, frameUrl, subframe, gone) => {
        const before = monitor.reached.length;
        const r = (await ipc.invoke(REQUEST_CHANNELS.getSnapshot, ipcEvent({ id }, frameUrl, { subframe, frameGone: gone }), {})) as ResponseMessage;
        // Its own page only, showing this computer (no host list here: a page of host 1 reaches nothing).
        const trusted = id === OWN.id && !subframe && !gone && /^app:\/\/portwatch(\/(index\.html)?)?(\?host=0)?(#.*)?$/s.test(frameUrl);
        expect(r.ok).toBe(trusted);
        expect(monitor.reached.length - before).toBe(trusted ? 1 : 0);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it(`survives malformed IPC event objects (${FUZZ_RUNS} fuzzed events)`, async () => {
    const hostile = {
      get sender(): never {
        throw new Error('getter throws');
      },
      senderFrame: null,
    } as unknown as IpcInvokeEventLike;
    expect(senderFacts(hostile)).toEqual({ senderId: -1, isMainFrame: false, frameUrl: null });
    await fc.assert(
      fc.asyncProperty(fc.anything({ maxDepth: 3 }), async (event) => {
        const r = await chokepoint.receive(REQUEST_CHANNELS.getInfo, event as IpcInvokeEventLike, [{}]).catch(() => 'threw' as const);
        expect(r).not.toBe('threw');
        expect((r as ResponseMessage).ok).toBe(false);
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(monitor.reached).toEqual([]);
  });
});

describe('IPC chokepoint with remote hosts (the window scoped by ?host=N)', () => {
  /** A host's monitor that records what reached it and with which rights. */
  function recordingHost(name: string) {
    const reached: { method: string; mayChange: boolean }[] = [];
    const endpoint: MonitorEndpoint = {
      handle: async (m, context) => {
        const r = m as { id: number; method: string };
        reached.push({ method: r.method, mayChange: context?.mayChange === true });
        return { id: r.id, ok: true, result: { hostname: name } } as ResponseMessage;
      },
      subscribe: () => () => undefined,
    };
    return { endpoint, reached };
  }

  it('sends each page\'s requests to the monitor of the host it shows, answers the host list itself, and refuses a host no longer listed', async () => {
    const lb1 = recordingHost('lb1');
    const lb2 = recordingHost('lb2');
    const hosts = [lb1, lb2];
    const asked: number[] = [];
    const routed = new IpcChokepoint({
      ipcMain: new FakeIpcMain(),
      endpoint: monitor.endpoint,
      hosts: {
        endpoint: (scope) => hosts[scope - 1]?.endpoint ?? null,
        summaries: (scope) => {
          asked.push(scope);
          return [{ index: 0, label: 'This computer', severity: 'ok', severityReason: 'fine', current: scope === 0 }];
        },
      },
      trusted: () => ({ webContentsId: OWN.id, origin: 'app://portwatch' }),
      log: (l) => log.push(l),
    });
    const ask = (page: string, method: MethodName, params: unknown = {}) => routed.receive(REQUEST_CHANNELS[method], ipcEvent(OWN, page), [params]);

    expect((await ask(`${PAGE}?host=2`, 'getInfo')).ok).toBe(true);
    expect((await ask(`${PAGE}?host=1#destination=x`, 'getSnapshot')).ok).toBe(true);
    // The app's own window may ask a host for changes too (the wizard on a host's page; sudo there asks the user).
    expect(lb2.reached).toEqual([{ method: 'getInfo', mayChange: true }]);
    expect(lb1.reached).toEqual([{ method: 'getSnapshot', mayChange: true }]);
    expect(monitor.reached).toEqual([]);
    // This computer's page reaches this computer's monitor.
    expect((await ask(PAGE, 'getInfo')).ok).toBe(true);
    expect(monitor.reached).toHaveLength(1);
    // A host that left the list: refused with the reason, nothing reached.
    const gone = await ask(`${PAGE}?host=3`, 'getSnapshot');
    expect(gone).toMatchObject({ ok: false, error: { code: 'unavailable', message: 'host 3 is not in the host list (any more): choose another host' } });
    // The host list comes from the main process, as the asking page sees it.
    const list = await ask(`${PAGE}?host=2`, 'getHosts');
    expect(list.ok).toBe(true);
    expect(asked).toEqual([2]);
    expect(lb2.reached).toHaveLength(1);
    // A page URL that is not the app's page is refused before any monitor is asked.
    const odd = await ask(`${PAGE}?host=1&x=1`, 'getInfo');
    expect(odd).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(lb1.reached).toHaveLength(1);
    expect(log.some((l) => l.includes('is not the app\'s page'))).toBe(true);
  });

  it('hands a host page\'s login requests, checked, to the main process for that host; refuses them where there is none', async () => {
    const lb1 = recordingHost('lb1');
    const asked: [number, string, unknown][] = [];
    const options = (login: boolean) =>
      new IpcChokepoint({
        ipcMain: new FakeIpcMain(),
        endpoint: monitor.endpoint,
        hosts: {
          endpoint: (scope) => (scope === 1 ? lb1.endpoint : null),
          summaries: () => [],
          ...(login
            ? {
                login: async (scope: number, method: string, params: unknown) => {
                  asked.push([scope, method, params]);
                  if (method === 'cancelHostLogin') throw new ContractError('conflict', 'no login hl-0123456789ab for lb1');
                  if (method === 'resizeHostLogin') throw new Error('the pty is gone');
                  return { written: 2 } as never;
                },
              }
            : {}),
        },
        trusted: () => ({ webContentsId: OWN.id, origin: 'app://portwatch' }),
        log: (l) => log.push(l),
      });
    const routed = options(true);
    const ask = (c: IpcChokepoint, page: string, method: MethodName, params: unknown) => c.receive(REQUEST_CHANNELS[method], ipcEvent(OWN, page), [params]);
    expect(await ask(routed, `${PAGE}?host=1`, 'writeHostLogin', { loginId: 'hl-0123456789ab', data: 'pw\r' })).toMatchObject({ ok: true, result: { written: 2 } });
    expect(asked).toEqual([[1, 'writeHostLogin', { loginId: 'hl-0123456789ab', data: 'pw\r' }]]);
    // Checked first: a malformed one never reaches the login.
    expect(await ask(routed, `${PAGE}?host=1`, 'writeHostLogin', { loginId: 'hl-0123456789ab', data: 'x'.repeat(1025) })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(asked).toHaveLength(1);
    // Its refusal is passed on; a failure inside is logged and answered without details.
    expect(await ask(routed, `${PAGE}?host=1`, 'cancelHostLogin', { loginId: 'hl-0123456789ab' })).toMatchObject({ ok: false, error: { code: 'conflict', message: 'no login hl-0123456789ab for lb1' } });
    expect(await ask(routed, `${PAGE}?host=1`, 'resizeHostLogin', { loginId: 'hl-0123456789ab', cols: 80, rows: 24 })).toMatchObject({ ok: false, error: { code: 'internal', message: 'resizeHostLogin failed in the main process' } });
    expect(log.at(-1)).toBe('IPC resizeHostLogin failed: the pty is gone');
    expect(lb1.reached).toEqual([]); // the host's monitor is never asked
    expect(await ask(options(false), `${PAGE}?host=1`, 'startHostLogin', {})).toMatchObject({ ok: false, error: { code: 'unavailable', message: 'startHostLogin: logins are not offered here' } });
  });

  it('forwards each host\'s events only to a page showing that host', () => {
    const wc = new FakeWebContents();
    let emit: (scope: number, e: MonitorEvent) => void = () => undefined;
    const stop = forwardHostEvents((listener) => {
      emit = listener;
      return () => (emit = () => undefined);
    }, () => wc);
    const event = (n: number): MonitorEvent => ({ event: 'problem', data: { message: `from ${n}` } }) as unknown as MonitorEvent;
    wc.url = `${PAGE}?host=2`;
    emit(1, event(1));
    emit(2, event(2));
    wc.url = PAGE;
    emit(2, event(3));
    wc.url = '';
    emit(0, event(4));
    expect(wc.sent.map((s) => (s.args[0] as { data: { message: string } }).data.message)).toEqual(['from 2']);
    stop();
    wc.url = `${PAGE}?host=2`;
    emit(2, event(5));
    expect(wc.sent).toHaveLength(1);
  });
});

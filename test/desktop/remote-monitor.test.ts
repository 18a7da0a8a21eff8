import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { MonitorEvent, MonitorInfo, ResponseMessage } from '../../electron/common/contract.js';
import { defaultSettings } from '../../electron/desktop/settings.js';
import { RemoteMonitor, type MonitorChild } from '../../electron/desktop/remote-monitor.js';

const ENTRY = fileURLToPath(new URL('../desktop/monitor-host-node.ts', import.meta.url));
const s = defaultSettings();
const CONFIG = { cpuBudget: s.sampling.cpuBudget, analysis: s.analysis };

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Forks the real monitor host (real sampler on this machine) as a Node child process. */
function spawnChild(): MonitorChild {
  const child = fork(ENTRY, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  return {
    postMessage: (m) => void child.send(m as never),
    onMessage: (l) => void child.on('message', l),
    onExit: (l) => void child.on('exit', (code) => l(code)),
    kill: () => void child.kill('SIGKILL'),
  };
}

async function until<T>(get: () => T | undefined | null | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until the monitor answers (its process has started). */
async function untilAnswered(m: RemoteMonitor, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await call(m, 'getInfo')).ok) {
    if (Date.now() > end) throw new Error('the monitor never answered');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function call(m: RemoteMonitor, method: string, params: unknown = {}): Promise<ResponseMessage> {
  return m.endpoint.handle({ id: 1, method, params });
}

describe('monitor in another process', () => {
  it('answers requests and streams real samples from a child process, pauses and resumes it', async () => {
    const m = new RemoteMonitor({ spawn: spawnChild, config: CONFIG, version: '9.9.9' });
    try {
      const events: MonitorEvent[] = [];
      m.endpoint.subscribe((e) => events.push(e));
      await until(() => events.some((e) => e.event === 'sample'));
      const r = await call(m, 'getInfo');
      expect(r.ok && (r.result as MonitorInfo).version).toBe('9.9.9');
      const snap = await call(m, 'getSnapshot');
      expect(snap.ok && (snap.result as { sample: { platform: string } }).sample.platform).toBe(process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux');
      m.pause('test pause'); // messages keep their order: the next request sees the pause
      const paused = await call(m, 'getInfo');
      expect(paused.ok && (paused.result as MonitorInfo).paused).toBe(true);
      const timeline = await call(m, 'getEvents');
      expect(timeline.ok && (timeline.result as { title: string; detail: string }[]).some((e) => e.title === 'Sampling paused' && e.detail === 'test pause')).toBe(true);
      m.resume();
      expect(((await call(m, 'getInfo')) as { result: MonitorInfo }).result.paused).toBe(false);
    } finally {
      await m.close();
    }
  });

  it('carries the chokepoint\'s word that a request may change things into the child, and only then', async () => {
    const m = new RemoteMonitor({ spawn: spawnChild, config: CONFIG, version: '9.9.9' });
    try {
      await untilAnswered(m);
      const apply = { id: 2, method: 'applyTuning', params: { planId: 'plan-0123456789abcdef0123', steps: ['widen-range'] } };
      // Without the word, a state-changing request is refused before anything is planned…
      const denied = await m.endpoint.handle(apply);
      expect(!denied.ok && denied.error.code).toBe('forbidden');
      // …with it, the desktop monitor goes on (and refuses a plan id it never made: nothing is applied).
      const vouched = await m.endpoint.handle(apply, { mayChange: true });
      expect(!vouched.ok && vouched.error.code).toBe('conflict');
    } finally {
      await m.close();
    }
  });

  it('when the process dies: requests in flight get "unavailable", the problem is reported, and it is restarted', async () => {
    const problems: (string | null)[] = [];
    let spawned = 0;
    let current: MonitorChild | null = null;
    const m = new RemoteMonitor({
      spawn: () => {
        spawned++;
        current = spawnChild();
        return current;
      },
      config: CONFIG,
      version: '1',
      restartDelayMs: 50,
    });
    m.onProblem((p) => problems.push(p));
    try {
      await until(() => problems.includes(null));
      current!.kill();
      await until(() => problems.some((p) => p?.includes('restarting')));
      const during = await call(m, 'getInfo');
      expect(during).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      await until(() => problems.filter((p) => p === null).length >= 2);
      expect(spawned).toBe(2);
      expect((await call(m, 'getInfo')).ok).toBe(true);
    } finally {
      await m.close();
    }
  });

  it('ends its process on close', async () => {
    let child: MonitorChild | null = null;
    const exits: (number | null)[] = [];
    const m = new RemoteMonitor({
      spawn: () => {
        child = spawnChild();
        child.onExit((c) => exits.push(c));
        return child;
      },
      config: CONFIG,
      version: '1',
    });
    await untilAnswered(m);
    await m.close();
    await until(() => exits.length === 1);
    expect(exits).toEqual([0]);
  });
});

describe('restart policy', () => {
  /** A child that dies as soon as it starts. */
  function dyingChild(): MonitorChild {
    let exit: ((c: number | null) => void) | null = null;
    return {
      postMessage: () => setTimeout(() => exit?.(1), 1),
      onMessage: () => undefined,
      onExit: (l) => void (exit = l),
      kill: () => undefined,
    };
  }

  it('gives up after the allowed restarts and says so', async () => {
    const problems: (string | null)[] = [];
    let spawned = 0;
    const m = new RemoteMonitor({ spawn: () => (spawned++, dyingChild()), config: CONFIG, version: '1', restartDelayMs: 1, maxRestarts: 3 });
    m.onProblem((p) => problems.push(p));
    await until(() => problems.some((p) => p?.includes('gave up')), 5000);
    expect(spawned).toBe(4);
    expect(problems.at(-1)).toBe('the monitor process ended (exit code 1); gave up after 3 restarts in 10 min');
    await m.close();
  });

  it('answers "unavailable" when a request gets no answer in time', async () => {
    const m = new RemoteMonitor({
      spawn: () => {
        let listener: ((m: unknown) => void) | null = null;
        return {
          postMessage: (msg) => {
            if ((msg as { type: string }).type === 'start') setTimeout(() => listener?.({ type: 'ready' }), 1);
          },
          onMessage: (l) => void (listener = l),
          onExit: () => undefined,
          kill: () => undefined,
        };
      },
      config: CONFIG,
      version: '1',
      timeoutMs: 50,
      closeTimeoutMs: 10,
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(await call(m, 'getInfo')).toEqual({ id: 1, ok: false, error: { code: 'unavailable', message: 'no answer from the monitor within 50 ms' } });
    await m.close();
  });
});

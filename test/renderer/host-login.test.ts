// The login panel of a remote host's page, over the contract as JSON to the real login sessions of the
// desktop app (HostLogins) with a stand-in terminal in place of ssh: the panel offers the login with the
// host's reason, starts it, shows ssh's output as it comes (the plain-text copy; jsdom has no canvas for
// xterm.js), and says how it ended; keys typed go out in one batch to that login only.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import { ContractError, HOST_LOGIN_METHODS, type HostLoginMethods, type MethodName } from '../../electron/common/contract.js';
import type { HostSummary } from '../../electron/common/hosts.js';
import { HostLogins, type SpawnLoginPty } from '../../electron/desktop/host-logins.js';
import type { ConnectionState, Transport } from '../../renderer/src/api/transport.js';
import { PortwatchClient } from '../../renderer/src/api/client.js';
import HostLogin from '../../renderer/src/components/HostLogin.svelte';
import { HostLoginState } from '../../renderer/src/state/host-login.svelte.js';

const HOST: HostSummary = { index: 1, label: 'ops@lb1', severity: 'unknown', severityReason: 'Needs login since 2026-12-06 01:00:00 UTC: ops@lb1: needs you to log in', current: true, canLogIn: true };

/** The desktop app's logins for one host behind a transport, with a stand-in terminal. */
function world() {
  const ptys: { written: string[]; size: number[]; data: (d: string) => void; exit: (c: number | null) => void }[] = [];
  const spawnPty: SpawnLoginPty = async (_argv, size, onData, onExit) => {
    const p = { written: [] as string[], size: [size.cols, size.rows], data: onData, exit: onExit };
    ptys.push(p);
    return { write: (d) => p.written.push(d), resize: (c, r) => (p.size = [c, r]), kill: () => undefined };
  };
  const listeners = new Set<(m: unknown) => void>();
  const logins = new HostLogins({
    connectionOf: () => ({ target: { host: 'lb1', user: 'ops' }, controlDir: '/nonexistent' }),
    loggedIn: () => undefined,
    emit: (_h, e) => {
      for (const l of listeners) l(JSON.parse(JSON.stringify(e)));
    },
    spawnPty,
  });
  const calls: string[] = [];
  const transport: Transport = {
    async request(method: MethodName, params: unknown) {
      calls.push(method);
      if (!(HOST_LOGIN_METHODS as readonly string[]).includes(method)) throw new ContractError('unavailable', method);
      const p = JSON.parse(JSON.stringify(params)) as Partial<HostLoginMethods['resizeHostLogin']['params'] & HostLoginMethods['writeHostLogin']['params']>;
      const answer = {
        startHostLogin: () => logins.start(HOST.label),
        writeHostLogin: () => logins.write(HOST.label, p.loginId!, p.data!),
        resizeHostLogin: () => logins.resize(HOST.label, p.loginId!, p.cols!, p.rows!),
        cancelHostLogin: () => logins.cancel(HOST.label, p.loginId!),
      }[method as keyof HostLoginMethods];
      return JSON.parse(JSON.stringify(await answer()));
    },
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onState(l: (s: ConnectionState) => void) {
      l('open');
      return () => undefined;
    },
    close() {},
  };
  return { client: new PortwatchClient(transport), ptys, calls };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  flushSync();
};

let mounted: ReturnType<typeof mount>[] = [];
afterEach(() => {
  for (const m of mounted) unmount(m);
  mounted = [];
  document.body.innerHTML = '';
});

describe('HostLogin panel', () => {
  it('offers the login with the host\'s reason, shows ssh\'s output live, and says how it ended; a failed one can be tried again', async () => {
    const w = world();
    const target = document.body.appendChild(document.createElement('div'));
    mounted.push(mount(HostLogin, { target, props: { client: w.client, host: HOST, dark: false } }));
    flushSync();
    expect(target.querySelector('h2')!.textContent).toBe('Log in to ops@lb1');
    expect(target.querySelector('[data-testid="login-reason"]')!.textContent).toBe(HOST.severityReason);
    (target.querySelector('[data-testid="login-start"]') as HTMLButtonElement).click();
    await settle();
    expect(w.calls).toEqual(['startHostLogin']);
    expect(target.querySelector('[data-testid="host-login"]')!.getAttribute('data-state')).toBe('running');
    expect(target.querySelector('[data-testid="login-status"]')!.textContent).toMatch(/click the terminal and answer/);
    w.ptys[0]!.data("ops@lb1's password: ");
    await settle();
    expect(target.querySelector('[data-testid="terminal-text"]')!.textContent).toBe("ops@lb1's password: ");
    w.ptys[0]!.data('\r\nPermission denied, please try again.\r\n'); // ssh ends the prompt's line itself
    w.ptys[0]!.exit(255);
    await settle();
    expect(target.querySelector('[data-testid="host-login"]')!.getAttribute('data-state')).toBe('failed');
    expect(target.querySelector('[role="alert"]')!.textContent).toBe('ops@lb1: not logged in (Permission denied, please try again.); try again');
    (target.querySelector('[data-testid="login-start"]') as HTMLButtonElement).click();
    await settle();
    expect(w.ptys).toHaveLength(2);
    expect(target.querySelector('[data-testid="terminal-text"]')!.textContent).toBe(''); // a new login, a clean terminal
    w.ptys[1]!.exit(0);
    await settle();
    expect(target.querySelector('[data-testid="login-status"]')!.textContent).toBe('Logged in: ops@lb1 is read over the shared connection from now on.');
    expect(target.querySelector('[data-testid="login-start"]')).toBeNull();
  });

  it('sends the keys typed as one batch to its own login, sizes the terminal within bounds, and types nothing once ended', async () => {
    const w = world();
    const login = new HostLoginState(w.client);
    await login.start();
    for (const k of ['s', 'e', 'c', 'r', 'e', 't', '\r']) login.type(k);
    await new Promise((r) => setTimeout(r, 80));
    expect(w.ptys[0]!.written).toEqual(['secret\r']);
    login.resize(1000, 2);
    await settle();
    expect(w.ptys[0]!.size).toEqual([400, 5]);
    await login.cancel();
    expect(login.session?.state).toBe('cancelled');
    login.type('x');
    await new Promise((r) => setTimeout(r, 80));
    expect(w.calls.filter((c) => c === 'writeHostLogin')).toHaveLength(1);
    login.dispose();
  });
});

// The login of the remote host this page shows, as the page drives it: start (the desktop app runs the
// user's ssh in a terminal), the terminal's output from events, keys typed sent in small batches (never
// kept here beyond the batch), the end (logged in, failed with why, cancelled).
import { isContractError } from '../../../electron/common/contract.js';
import { MAX_LOGIN_CHUNK, type HostLoginSession } from '../../../electron/common/host-login.js';
import { TERMINAL_COLS, TERMINAL_ROWS } from '../../../electron/common/tuning-contract.js';
import type { PortwatchClient } from '../api/client.js';
import type { TerminalFeed, TerminalSink } from '../wizard/terminal-feed.js';
import { TerminalRelay } from '../wizard/terminal-relay.js';


export class HostLoginState implements TerminalFeed {
  session = $state.raw<HostLoginSession | null>(null);
  /** Why the last request failed, for people; null when it did not. */
  error = $state<string | null>(null);
  busy = $state(false);
  private readonly terminal = new TerminalRelay(MAX_LOGIN_CHUNK * 4);
  private readonly off: () => void;

  constructor(private readonly client: PortwatchClient) {
    this.off = client.onEvent((e) => {
      if (e.event === 'hostLoginOutput' && e.data.loginId === this.session?.loginId) this.terminal.append(e.data.data);
      else if (e.event === 'hostLoginStatus' && e.data.loginId === this.session?.loginId) this.session = e.data;
    });
  }

  /** The login terminal's output so far (not reactive: the terminal pane subscribes). */
  get transcript(): string {
    return this.terminal.transcript;
  }

  /** Starts a login (or joins the one running for this host). */
  async start(): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const s = await this.client.call('startHostLogin', {});
      this.session = s;
      this.terminal.replace(s.transcript);
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
    }
  }

  /** Ends the running login. */
  async cancel(): Promise<void> {
    const s = this.session;
    if (!s || s.state !== 'running') return;
    try {
      this.session = await this.client.call('cancelHostLogin', { loginId: s.loginId });
    } catch (e) {
      this.fail(e);
    }
  }

  type(data: string): void {
    const s = this.session;
    if (!s || s.state !== 'running') return;
    this.terminal.type(data, (chunk) => this.client.call('writeHostLogin', { loginId: s.loginId, data: chunk }), (e) => this.fail(e));
  }

  resize(cols: number, rows: number): void {
    const s = this.session;
    if (!s || s.state !== 'running') return;
    const fit = (n: number, b: { min: number; max: number }) => Math.min(b.max, Math.max(b.min, Math.round(n)));
    void this.client.call('resizeHostLogin', { loginId: s.loginId, cols: fit(cols, TERMINAL_COLS), rows: fit(rows, TERMINAL_ROWS) }).catch(() => undefined);
  }

  attach(sink: TerminalSink): () => void {
    return this.terminal.attach(sink);
  }

  dispose(): void {
    this.off();
    this.terminal.dispose();
  }

  private fail(e: unknown): void {
    this.error = isContractError(e) ? e.message : String(e);
  }
}

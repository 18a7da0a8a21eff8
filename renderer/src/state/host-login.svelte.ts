// The login of the remote host this page shows, as the page drives it: start (the desktop app runs the
// user's ssh in a terminal), the terminal's output from events, keys typed sent in small batches (never
// kept here beyond the batch), the end (logged in, failed with why, cancelled).
import { isContractError } from '../../../electron/common/contract.js';
import type { HostLoginSession } from '../../../electron/common/host-login.js';
import { MAX_TERMINAL_INPUT, TERMINAL_COLS, TERMINAL_ROWS } from '../../../electron/common/tuning-contract.js';
import type { PortwatchClient } from '../api/client.js';
import type { TerminalFeed, TerminalSink } from '../wizard/terminal-feed.js';

const INPUT_BATCH_MS = 30;

export class HostLoginState implements TerminalFeed {
  session = $state.raw<HostLoginSession | null>(null);
  /** Why the last request failed, for people; null when it did not. */
  error = $state<string | null>(null);
  busy = $state(false);
  transcript = '';
  // Listeners, not state: a plain Set on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly sinks = new Set<TerminalSink>();
  private input = '';
  private inputTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly off: () => void;

  constructor(private readonly client: PortwatchClient) {
    this.off = client.onEvent((e) => {
      if (e.event === 'hostLoginOutput' && e.data.loginId === this.session?.loginId) this.output(e.data.data);
      else if (e.event === 'hostLoginStatus' && e.data.loginId === this.session?.loginId) this.session = e.data;
    });
  }

  get running(): boolean {
    return this.session?.state === 'running';
  }

  /** Starts a login (or joins the one running for this host). */
  async start(): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const s = await this.client.call('startHostLogin', {});
      this.session = s;
      this.transcript = s.transcript;
      for (const sink of this.sinks) {
        sink.reset();
        if (s.transcript) sink.write(s.transcript);
      }
    } catch (e) {
      this.error = isContractError(e) ? e.message : String(e);
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
      this.error = isContractError(e) ? e.message : String(e);
    }
  }

  type(data: string): void {
    const s = this.session;
    if (!s || s.state !== 'running') return;
    this.input += data;
    clearTimeout(this.inputTimer);
    this.inputTimer = setTimeout(() => void this.flush(s.loginId), INPUT_BATCH_MS);
  }

  resize(cols: number, rows: number): void {
    const s = this.session;
    if (!s || s.state !== 'running') return;
    const fit = (n: number, b: { min: number; max: number }) => Math.min(b.max, Math.max(b.min, Math.round(n)));
    void this.client.call('resizeHostLogin', { loginId: s.loginId, cols: fit(cols, TERMINAL_COLS), rows: fit(rows, TERMINAL_ROWS) }).catch(() => undefined);
  }

  attach(sink: TerminalSink): () => void {
    this.sinks.add(sink);
    if (this.transcript) sink.write(this.transcript);
    return () => this.sinks.delete(sink);
  }

  dispose(): void {
    this.off();
    clearTimeout(this.inputTimer);
    this.input = '';
  }

  private output(data: string): void {
    this.transcript = (this.transcript + data).slice(-64 * 1024);
    for (const sink of this.sinks) sink.write(data);
  }

  private async flush(loginId: string): Promise<void> {
    const data = this.input;
    this.input = '';
    for (let i = 0; i < data.length; i += MAX_TERMINAL_INPUT) {
      try {
        await this.client.call('writeHostLogin', { loginId, data: data.slice(i, i + MAX_TERMINAL_INPUT) });
      } catch (e) {
        this.error = isContractError(e) ? e.message : String(e);
        return;
      }
    }
  }
}

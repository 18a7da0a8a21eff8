// The page's half of a terminal that runs elsewhere (the tuning helper's, a host login's): the output kept
// for panes that open late and handed to every pane attached, and the keys typed sent on in small batches
// (a pause of INPUT_BATCH_MS, then chunks of at most MAX_TERMINAL_INPUT). Not reactive: panes subscribe.
import { MAX_TERMINAL_INPUT } from '../../../electron/common/tuning-contract.js';
import type { TerminalSink } from './terminal-feed.js';

const INPUT_BATCH_MS = 30;

export class TerminalRelay {
  /** The output so far (the last `keep` characters). */
  transcript = '';
  // Listeners, not state: a plain Set.
  private readonly sinks = new Set<TerminalSink>();
  private input = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly keep: number) {}

  /** Subscribes a pane; it gets the output so far first. Returns the unsubscribe function. */
  attach(sink: TerminalSink): () => void {
    this.sinks.add(sink);
    if (this.transcript) sink.write(this.transcript);
    return () => this.sinks.delete(sink);
  }

  /** More output. */
  append(data: string): void {
    this.transcript = (this.transcript + data).slice(-this.keep);
    for (const s of this.sinks) s.write(data);
  }

  /** Another terminal (a new session): every pane is reset and shows `text`. */
  replace(text: string): void {
    this.transcript = text.slice(-this.keep);
    for (const s of this.sinks) {
      s.reset();
      if (this.transcript) s.write(this.transcript);
    }
  }

  /** Keys typed: sent through `send` after a short pause, in chunks; the first failure drops the rest and goes to `failed`. */
  type(data: string, send: (chunk: string) => Promise<unknown>, failed: (e: unknown) => void): void {
    this.input += data;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(send, failed), INPUT_BATCH_MS);
  }

  /** Drops keys not yet sent. */
  dispose(): void {
    clearTimeout(this.timer);
    this.input = '';
  }

  private async flush(send: (chunk: string) => Promise<unknown>, failed: (e: unknown) => void): Promise<void> {
    const data = this.input;
    this.input = '';
    for (let i = 0; i < data.length; i += MAX_TERMINAL_INPUT) {
      try {
        await send(data.slice(i, i + MAX_TERMINAL_INPUT));
      } catch (e) {
        failed(e);
        return;
      }
    }
  }
}

// What a terminal pane shows and where its keys go: the tuning wizard's helper session, or a remote
// host's login. The pane (Terminal.svelte) knows nothing else.

/** A terminal pane: receives output, and a reset when another session starts. */
export interface TerminalSink {
  write(data: string): void;
  reset(): void;
}

/** The source of a terminal pane. */
export interface TerminalFeed {
  /** The output so far (a pane that opens late starts with it). */
  readonly transcript: string;
  /** Subscribes a pane; it gets the transcript so far first. Returns the unsubscribe function. */
  attach(sink: TerminalSink): () => void;
  /** Keys typed in the pane. */
  type(data: string): void;
  /** The pane's size changed. */
  resize(cols: number, rows: number): void;
}

// A reader that goes away (`portwatch check | head -3`, a pager quit early) ends the output, not the
// command: the write fails with EPIPE, which Node raises as an 'error' event that nothing else handles,
// so the process would die with a stack trace and status 1 instead of its own. The command instead
// finishes and exits with its own status (check: the severity), and writes nothing more there; a
// command that would go on for ever (check --watch) is told through `closed` and ends as on Ctrl-C.
// Any other failure (a full disk: ENOSPC) lost output someone meant to keep: it is named on stderr, and
// `failed` lets the entry point decide what that does to the status (check: 3, unknown).

export interface OutputEvents {
  /** The reader has gone (EPIPE), once. */
  closed?: () => void;
  /** A write failed for any other reason, once. */
  failed?: () => void;
}

/** Handles a stream's 'error' events as above, so none of them can crash the command. */
export function endOutputOnClosedPipe(
  stream: NodeJS.WritableStream,
  name: 'stdout' | 'stderr',
  on: OutputEvents = {},
  stderr: NodeJS.WritableStream = process.stderr,
): void {
  let closed = false;
  let failed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      if (!closed) on.closed?.();
      closed = true;
      return;
    }
    if (failed) return;
    failed = true;
    // stderr itself failing has nowhere left to be told.
    if (name === 'stdout') stderr.write(`portwatch: cannot write to ${name}: ${err.message}\n`);
    on.failed?.();
  });
}

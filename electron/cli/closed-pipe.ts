// A reader that goes away (`portwatch check | head -3`, a pager quit early) ends the output, not the
// command: the write fails with EPIPE, which Node raises as an 'error' event that nothing else handles,
// so the process would die with a stack trace and status 1 instead of its own. The command instead
// finishes and exits with its own status (check: the severity), and writes nothing more there; a
// command that would go on for ever (check --watch) is told through onClosed and ends as on Ctrl-C.

/** What becomes of a stream's 'error' events: EPIPE calls onClosed once; any other error is named once on stderr. */
export function endOutputOnClosedPipe(
  stream: NodeJS.WritableStream,
  name: 'stdout' | 'stderr',
  onClosed: () => void = () => {},
  stderr: NodeJS.WritableStream = process.stderr,
): void {
  let told = false;
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      if (!closed) onClosed();
      closed = true;
      return;
    }
    if (told) return;
    told = true;
    // stderr itself failing has nowhere left to be told.
    if (name === 'stdout') stderr.write(`portwatch: cannot write to ${name}: ${err.message}\n`);
  });
}

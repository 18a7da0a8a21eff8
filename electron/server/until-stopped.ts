// When serve is asked to stop: Ctrl-C (SIGINT), systemd or kill (SIGTERM), or the caller's abort signal
// (tests, the desktop). The listeners are in place when this returns, so call it before any await that
// a stop may come during: without a listener, Node's default for SIGINT kills the process outright.

/** Resolves once a stop is asked for; its listeners are removed then. */
export function untilStopped(signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    if (signal?.aborted) return done();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    signal?.addEventListener('abort', done);
  });
}

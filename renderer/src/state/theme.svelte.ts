// Light or dark, following the system (prefers-color-scheme), live.

/** The colour scheme in force. */
export class Theme {
  dark = $state.raw(false);

  constructor(w: Window | undefined = typeof window === 'undefined' ? undefined : window) {
    const mq = w?.matchMedia?.('(prefers-color-scheme: dark)');
    if (!mq) return;
    this.dark = mq.matches;
    mq.addEventListener('change', (e) => (this.dark = e.matches));
  }
}

// What the serve tests that run the real `serve` share: a stream that keeps what it prints, and a bounded
// poll for a condition it reaches in its own time.
import { PassThrough } from 'node:stream';

/** A stream for serve's stdout or stderr that keeps everything written to it. */
export function capture(): { stream: PassThrough; text: () => string } {
  const s = new PassThrough();
  let text = '';
  s.on('data', (c) => (text += String(c)));
  return { stream: s, text: () => text };
}

/** Polls f every 250 ms until it returns something other than undefined; throws naming `what` after ms. */
export async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// `portwatch serve` as the CLI runs it (real sampler on this machine): prints the URL once, never the token
// elsewhere, writes the token file 0600, stops on abort.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { mkdtempSync, statSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServe } from '../../electron/server/serve.js';

function capture() {
  const s = new PassThrough();
  let text = '';
  s.on('data', (c) => (text += String(c)));
  return { stream: s, text: () => text };
}

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('runServe', () => {
  it('prints the URL with the token once, logs it nowhere else, and serves until aborted', async () => {
    const out = capture();
    const err = capture();
    const ac = new AbortController();
    const dir = mkdtempSync(join(tmpdir(), 'pw-token-'));
    const tokenFile = join(dir, 'token');
    const done = runServe(['--token-file', tokenFile], { stdout: out.stream, stderr: err.stream }, ac.signal);
    await waitFor(() => out.text().includes('token='));
    const url = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(out.text())!;
    const token = url[2]!;
    expect(out.text().split(token).length - 1).toBe(1);
    expect(err.text()).not.toContain(token);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token);
    const m = await fetch(`http://127.0.0.1:${url[1]}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(m.status).toBe(200);
    ac.abort();
    expect(await done).toBe(0);
    expect(existsSync(tokenFile)).toBe(false);
  });

  it('exits 64 naming an unknown flag', async () => {
    const err = capture();
    expect(await runServe(['--bogus'], { stdout: capture().stream, stderr: err.stream })).toBe(64);
    expect(err.text()).toContain("'--bogus'");
  });

  it('exits 69 when the port is taken, naming it', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const err = capture();
    expect(await runServe(['--port', String(port)], { stdout: capture().stream, stderr: err.stream })).toBe(69);
    expect(err.text()).toContain(`port ${port} is already in use`);
    blocker.close();
  });
});

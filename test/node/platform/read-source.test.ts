import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSource } from '../../../electron/node/platform/read-source.js';

const dir = mkdtempSync(join(tmpdir(), 'pw-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (p: string) => ({ name: 'src', what: p, read: (signal: AbortSignal) => readFile(p, { signal }) });

describe('readSource', () => {
  it('returns the bytes exactly as read', async () => {
    writeFileSync(join(dir, 'a'), '32768\t60999\n');
    const r = await readSource(file(join(dir, 'a')), 1000);
    expect(r.status).toBe('ok');
    expect(r.data?.toString()).toBe('32768\t60999\n');
  });
  it('reports a missing required file as failed, naming the path', async () => {
    const r = await readSource(file(join(dir, 'missing')), 1000);
    expect(r).toMatchObject({ status: 'failed', error: `${join(dir, 'missing')}: no such file` });
  });
  it('reports a missing optional file as unsupported', async () => {
    const r = await readSource({ ...file(join(dir, 'missing')), optional: true }, 1000);
    expect(r.status).toBe('unsupported');
  });
  it('times out on a read that never answers, and does not pile up a second one', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const spec = { name: 'fifo', what: fifo, read: (signal: AbortSignal) => readFile(fifo, { signal }) };
    const first = await readSource(spec, 100);
    expect(first).toMatchObject({ status: 'timeout', error: `${fifo}: no answer within 100 ms` });
    const second = await readSource(spec, 100);
    expect(second.error).toMatch(/previous read still in progress/);
    // Release the blocked open() so the worker thread is freed.
    const fd = openSync(fifo, 'w');
    closeSync(fd);
  });
  it('turns a reader that throws anything into a failed source', async () => {
    const r = await readSource({ name: 'x', what: 'thing', read: () => Promise.reject('weird') }, 100);
    expect(r).toMatchObject({ status: 'failed', error: 'thing: weird' });
  });
});

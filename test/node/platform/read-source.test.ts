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
  it('gives concurrent reads of the same source each their answer (only a stuck read holds the next one back)', async () => {
    // The monitor's sampler and a plan gathered for Apply read the same sysctl at the same moment: the
    // second must not come back as "previous read still in progress" (that turned the range unknown and
    // made Apply refuse a reviewed change).
    writeFileSync(join(dir, 'slow'), '40000\t40009\n');
    let calls = 0;
    const spec = {
      name: 'net.ipv4.ip_local_port_range',
      what: join(dir, 'slow'),
      read: async (signal: AbortSignal) => {
        calls++;
        await new Promise((r) => setTimeout(r, 50));
        return readFile(join(dir, 'slow'), { signal });
      },
    };
    const [a, b] = await Promise.all([readSource(spec, 1000), readSource(spec, 1000)]);
    expect(calls).toBe(2);
    expect([a.status, b.status]).toEqual(['ok', 'ok']);
    expect(b.data?.toString()).toBe('40000\t40009\n');
  });
  it('reads a source again once its stuck read has settled', async () => {
    let release: (b: Buffer) => void = () => {};
    const hung = { name: 'hung', what: 'hung source', read: () => new Promise<Buffer>((r) => (release = r)) };
    expect((await readSource(hung, 20)).status).toBe('timeout');
    expect((await readSource({ ...hung, read: () => Promise.resolve(Buffer.from('x')) }, 20)).error).toMatch(/previous read still in progress/);
    release(Buffer.from('late'));
    await new Promise((r) => setImmediate(r));
    expect(await readSource({ ...hung, read: () => Promise.resolve(Buffer.from('x')) }, 20)).toMatchObject({ status: 'ok' });
  });
  it('turns a reader that throws anything into a failed source', async () => {
    const r = await readSource({ name: 'x', what: 'thing', read: () => Promise.reject('weird') }, 100);
    expect(r).toMatchObject({ status: 'failed', error: 'thing: weird' });
  });
});

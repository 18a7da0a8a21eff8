// The real runner, with real processes of this machine (the macOS/Windows programs cannot run here,
// but execFile, exit statuses, timeouts and the no-shell rule are the same everywhere).
import { describe, expect, it } from 'vitest';
import { commandSource, describeCommand, execFileRunner } from '../../../electron/node/platform/command-source.js';
import { readSource } from '../../../electron/node/platform/read-source.js';

const SH = '/bin/sh';

describe('execFileRunner', () => {
  it('returns stdout as bytes exactly, with the exit status', async () => {
    const r = await execFileRunner('/usr/bin/printf', ['a\\r\\nb\\0c'], new AbortController().signal);
    expect(r.exitCode).toBe(0);
    expect([...r.stdout]).toEqual([0x61, 0x0d, 0x0a, 0x62, 0x00, 0x63]);
  });
  it('resolves on a non-zero exit with what the command printed', async () => {
    const r = await execFileRunner(SH, ['-c', 'echo out; echo err >&2; exit 3'], new AbortController().signal);
    expect(r).toMatchObject({ exitCode: 3 });
    expect(r.stdout.toString()).toBe('out\n');
    expect(r.stderr.toString()).toBe('err\n');
  });
  it('passes arguments without a shell: metacharacters stay text', async () => {
    const r = await execFileRunner('/bin/echo', ['$(id)', ';', '`id`', '|', '&&'], new AbortController().signal);
    expect(r.stdout.toString()).toBe('$(id) ; `id` | &&\n');
  });
  it('rejects when the program does not exist', async () => {
    await expect(execFileRunner('/nonexistent/netstat', [], new AbortController().signal)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('commandSource with readSource', () => {
  it('is ok with the bytes when the command exits 0', async () => {
    const r = await readSource(commandSource({ name: 'x', file: '/bin/echo', args: ['hi'] }, execFileRunner), 5000);
    expect(r).toMatchObject({ name: 'x', status: 'ok' });
    expect(r.data?.toString()).toBe('hi\n');
  });
  it('fails with the exit status and the first line of stderr, naming the command', async () => {
    const spec = { name: 'x', file: SH, args: ['-c', 'echo "no such key" >&2; exit 2'] };
    const r = await readSource(commandSource(spec, execFileRunner), 5000);
    expect(r).toMatchObject({ status: 'failed', error: `${describeCommand(spec)}: exited with status 2: no such key` });
  });
  it('accepts the exit statuses it is told mean an answer, and reads "empty" statuses as no output', async () => {
    const partial = await readSource(commandSource({ name: 'a', file: SH, args: ['-c', 'echo k: 1; exit 1'], okExitCodes: [0, 1] }, execFileRunner), 5000);
    expect(partial.data?.toString()).toBe('k: 1\n');
    const absent = await readSource(commandSource({ name: 'b', file: SH, args: ['-c', 'echo translated message; exit 1'], emptyExitCodes: [1] }, execFileRunner), 5000);
    expect(absent).toMatchObject({ status: 'ok' });
    expect(absent.data?.length).toBe(0);
  });
  it('times out and kills a command that does not end', async () => {
    const started = Date.now();
    const r = await readSource(commandSource({ name: 'slow', file: '/bin/sleep', args: ['30'] }, execFileRunner), 100);
    expect(r).toMatchObject({ status: 'timeout', error: '/bin/sleep 30: no answer within 100 ms' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
  it('reports a missing program as failed, naming it', async () => {
    const r = await readSource(commandSource({ name: 'm', file: '/nonexistent/reg.exe', args: ['query'] }, execFileRunner), 5000);
    expect(r).toMatchObject({ status: 'failed', error: '/nonexistent/reg.exe query: no such file' });
  });
});

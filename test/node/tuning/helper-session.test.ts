import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { HELPER_RESULT_PREFIX } from '../../../electron/common/tuning.js';
import { startHelperSession } from '../../../electron/node/tuning/helper-session.js';
import { bundleScript, createTestRoot, helperBundle, type TestRoot } from '../../helper/helper-process.js';

// A stand-in program: prints a prompt, a result split across writes, reads one line, echoes it, then a final result.
const FAKE = `
const r = (o) => '${HELPER_RESULT_PREFIX}' + JSON.stringify({ schema: 1, verb: 'apply', outcome: o, message: o, txid: null, changes: [], dropIn: null, overrides: [], deadline: null, transaction: null, history: [] }) + '\\n';
process.stdout.write('Password: ');
process.stdout.write('\\n' + process.stdout.columns + 'x' + process.stdout.rows + '\\n');
const first = r('awaiting-confirm');
process.stdout.write(first.slice(0, 30));
setTimeout(() => process.stdout.write(first.slice(30)), 50);
process.stdin.once('data', (d) => { process.stdout.write('got ' + JSON.stringify(String(d).trim()) + '\\n' + r('kept')); process.exit(0); });
`;

describe('a helper session from the unprivileged side', () => {
  for (const transport of ['pty', 'pipes'] as const) {
    it(`streams the terminal, parses results split across chunks, and forwards keystrokes (${transport})`, async () => {
      const s = await startHelperSession([process.execPath, '-e', FAKE], { method: 'direct', env: { PATH: '/usr/bin:/bin' }, transport, cols: 120, rows: 40 });
      const chunks: string[] = [];
      s.onData((c) => chunks.push(c));
      const seen: string[] = [];
      s.onResult((r) => seen.push(r.outcome));
      const first = await s.waitForResult((r) => r.outcome === 'awaiting-confirm', 10_000);
      expect(first.message).toBe('awaiting-confirm');
      s.write('keep\r');
      const end = await s.exited;
      expect(end).toMatchObject({ exitCode: 0, result: { outcome: 'kept' } });
      expect(seen).toEqual(['awaiting-confirm', 'kept']);
      expect(s.transcript).toContain('Password: ');
      expect(s.transcript).toContain('got "keep"');
      if (transport === 'pty') expect(s.transcript).toContain('120x40');
      expect(chunks.join('')).toBe(s.transcript);
      expect(s.argv[0]).toBe(process.execPath);
    });
  }

  it.skipIf(process.platform !== 'linux')('keeps its terminal from children the app starts later (the pty master is close-on-exec)', async () => {
    const s = await startHelperSession([process.execPath, '-e', 'setTimeout(() => {}, 20_000)'], { method: 'direct', env: { PATH: '/usr/bin:/bin' }, transport: 'pty' });
    const later = spawn('/bin/sleep', ['20'], { stdio: 'ignore' });
    try {
      const fds = readdirSync(`/proc/${later.pid}/fd`).map((fd) => {
        try {
          return readlinkSync(`/proc/${later.pid}/fd/${fd}`);
        } catch {
          return '(gone)';
        }
      });
      // node-pty 1.1 alone leaves /dev/ptmx here: an ssh ControlPersist master started during a countdown
      // would hold the root helper's terminal.
      expect(fds.filter((l) => l === '/dev/ptmx' || l.startsWith('/dev/pts/'))).toEqual([]);
      expect(fds).toContain('/dev/null');
    } finally {
      later.kill('SIGKILL');
      s.interrupt();
    }
    await s.exited;
  });

  it('rejects a relative program and a result that never comes', async () => {
    await expect(startHelperSession(['node', '-e', '0'], { method: 'direct', env: {} })).rejects.toThrow(/absolute path/);
    const s = await startHelperSession([process.execPath, '-e', 'process.exit(3)'], { method: 'direct', env: {}, transport: 'pipes' });
    await expect(s.waitForResult(() => true, 10_000)).rejects.toThrow(/ended \(3\) before the expected result/);
  });

  it('ignores lines that only look like results', async () => {
    const s = await startHelperSession([process.execPath, '-e', `console.log('${HELPER_RESULT_PREFIX}{"schema":1,"outcome":"kept"}')`], { method: 'direct', env: {}, transport: 'pipes' });
    expect((await s.exited).result).toBeNull();
  });
});

describe('no shell on the way from the app to the helper', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await createTestRoot();
  });
  afterAll(async () => {
    await root?.remove();
  });

  it('strace sees only node: the app side, then the helper, through the pseudo-terminal', async () => {
    if (spawnSync('strace', ['-V']).error) {
      if (process.env.CI === 'true') throw new Error('strace is required in CI for the no-shell trace');
      return;
    }
    const driver = await bundleScript(fileURLToPath(new URL('./session-driver.ts', import.meta.url)), 'session-driver');
    const helper = await helperBundle();
    const trace = `${root.dir}/trace`;
    for (const transport of ['pty', 'pipes']) {
      const job = JSON.stringify({ argv: [process.execPath, helper, 'status'], env: { PATH: '/usr/bin:/bin', ...root.env }, transport });
      const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=execve,execveat', '-o', `${trace}.${transport}`, process.execPath, driver, job], { encoding: 'utf8', timeout: 30_000 });
      expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ exitCode: 0, outcome: 'status' });
      const lines = (await readFile(`${trace}.${transport}`, 'utf8')).split('\n').filter((l) => /execve/.test(l));
      const programs = lines.map((l) => /execve(?:at)?\((?:\d+, )?"([^"]+)"/.exec(l)?.[1]);
      const node = [process.execPath, await realpath(process.execPath)];
      expect(programs.length, lines.join('\n')).toBe(2);
      for (const p of programs) expect(node).toContain(p);
      expect(lines.join('\n')).not.toMatch(/\/bin\/(ba|da|z)?sh"/);
    }
  });
});

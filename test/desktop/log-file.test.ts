import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_LINE_MAX_CHARS, logFilePath, logLine, RotatingLog } from '../../electron/desktop/log-file.js';

const T0 = Date.UTC(2026, 11, 5, 8, 0, 0);
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => (dir = mkdtempSync(join(tmpdir(), 'arch4-log-')));

describe('rotating log file', () => {
  it('creates its folder and writes one timestamped line per message', () => {
    const logs = join(fresh(), 'logs');
    const log = new RotatingLog({ dir: logs, clock: () => T0 });
    log.write('monitor started');
    log.write('source sockets failed: EPERM');
    expect(readFileSync(join(logs, 'portwatch.log'), 'utf8')).toBe('2026-12-05T08:00:00.000Z monitor started\n2026-12-05T08:00:00.000Z source sockets failed: EPERM\n');
  });

  it('keeps outside text on one line: line breaks and escape sequences become visible escapes', () => {
    const log = new RotatingLog({ dir: fresh(), clock: () => T0 });
    log.write('helper said: done\n2026-12-05T08:00:00.000Z forged line\r\x1b[2J');
    const text = readFileSync(log.path, 'utf8');
    expect(text.split('\n')).toHaveLength(2); // one line and the final newline
    expect(text).toContain('done\\x0a2026-12-05T08:00:00.000Z forged line\\x0d\\x1b[2J');
    expect(logLine('x'.repeat(LOG_LINE_MAX_CHARS + 10))).toBe(`${'x'.repeat(LOG_LINE_MAX_CHARS)}… (10 more characters)`);
  });

  it('rotates at the size cap and keeps at most N files, the newest lines in portwatch.log', () => {
    const log = new RotatingLog({ dir: fresh(), maxBytes: 200, files: 3, clock: () => T0 });
    for (let i = 0; i < 40; i++) log.write(`line ${String(i).padStart(2, '0')} ${'.'.repeat(40)}`);
    expect(readdirSync(dir).sort()).toEqual(['portwatch.1.log', 'portwatch.2.log', 'portwatch.log']);
    for (const n of [0, 1, 2]) expect(statSync(logFilePath(dir, n)).size).toBeLessThanOrEqual(200);
    const all = [2, 1, 0].flatMap((n) => readFileSync(logFilePath(dir, n), 'utf8').trimEnd().split('\n'));
    const numbers = all.map((l) => Number(/line (\d+)/.exec(l)![1]));
    // The kept lines are the newest ones, in order, with nothing lost between the files.
    expect(numbers.at(-1)).toBe(39);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    expect(numbers.length).toBeGreaterThanOrEqual(6);
  });

  it('counts a file left by an earlier run toward the cap', () => {
    fresh();
    writeFileSync(join(dir, 'portwatch.log'), 'x'.repeat(190) + '\n');
    new RotatingLog({ dir, maxBytes: 200, clock: () => T0 }).write('after restart');
    expect(readFileSync(join(dir, 'portwatch.1.log'), 'utf8')).toHaveLength(191);
    expect(readFileSync(join(dir, 'portwatch.log'), 'utf8')).toBe('2026-12-05T08:00:00.000Z after restart\n');
  });

  it('never throws when the folder cannot be written, and reports the first failure', () => {
    fresh();
    writeFileSync(join(dir, 'file'), '');
    const problems: string[] = [];
    const log = new RotatingLog({ dir: join(dir, 'file', 'logs'), onError: (p) => problems.push(p) });
    expect(() => {
      log.write('a');
      log.write('b');
    }).not.toThrow();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(join(dir, 'file', 'logs', 'portwatch.log'));
  });
});

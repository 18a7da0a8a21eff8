import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { composeTerminal, TERMINAL_CONTROL, terminalSafeStream, writeComposed, writeTerminalControl } from '../../electron/cli/terminal-io.js';
import { span, writeLines } from '../../electron/cli/paint.js';
import { WatchScreen } from '../../electron/cli/watch-screen.js';

function capture(): { stream: PassThrough & { isTTY?: boolean; columns?: number; rows?: number }; text: () => string; writes: () => number } {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
  const chunks: Buffer[] = [];
  let writes = 0;
  const write = stream.write.bind(stream);
  stream.write = ((...a: Parameters<typeof write>) => (writes++, write(...a))) as typeof stream.write;
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8'), writes: () => writes };
}

describe('the CLI output layer', () => {
  it('cleans strings and buffers written through it, keeping line feeds, and keeps the stream\'s own properties', () => {
    const c = capture();
    const safe = terminalSafeStream(c.stream);
    safe.write('a\x1b[2J\n');
    safe.write(Buffer.from('b\x9b\r\n'));
    expect(c.text()).toBe('a\\x1b[2J\nb\\x9b\\x0d\n');
    expect(safe.isTTY).toBe(true);
    expect(safe.columns).toBe(80);
    expect(terminalSafeStream(safe)).toBe(safe);
  });

  it('lets only our own named control sequences past', () => {
    const c = capture();
    writeTerminalControl(terminalSafeStream(c.stream), TERMINAL_CONTROL.homeAndClear);
    expect(c.text()).toBe('\x1b[H\x1b[2J');
  });

  it('composes cleaned text and our own sequences into one write', () => {
    const c = capture();
    const out = composeTerminal(['host \x1b]0;pwned\x07', { control: 'bold' }, 'OK\n', { control: 'reset' }]);
    writeComposed(terminalSafeStream(c.stream), out);
    expect(c.text()).toBe('host \\x1b]0;pwned\\x07\x1b[1mOK\n\x1b[0m');
    expect(c.writes()).toBe(1);
  });

  it('writes coloured lines in one write, hostile text cleaned', () => {
    const c = capture();
    writeLines(terminalSafeStream(c.stream), [[span('Severity: '), span('OK', 'ok')], [span('pod \x1b[2Jx', 'dim')]], true);
    expect(c.text()).toBe('Severity: \x1b[1m\x1b[32mOK\x1b[0m\n\x1b[2mpod \\x1b[2Jx\x1b[0m\n');
    expect(c.writes()).toBe(1);
  });

  it('draws each --watch frame, clear included, in one write and never scrolls past the bottom row', () => {
    const c = capture();
    const screen = new WatchScreen(terminalSafeStream(c.stream) as unknown as NodeJS.WriteStream, null, true);
    screen.start(() => undefined);
    const before = c.writes();
    screen.show(() => [[span('Portwatch')], [span('Severity: '), span('WARNING', 'warning')]]);
    expect(c.writes() - before).toBe(1);
    expect(c.text()).toMatch(/\x1b\[H\x1b\[2JPortwatch\nSeverity: \x1b\[1m\x1b\[33mWARNING\x1b\[0m$/);
    c.stream.rows = 1; // a resize redraws, one write again, the severity line kept
    c.stream.emit('resize');
    expect(c.writes() - before).toBe(2);
    expect(c.text()).toMatch(/\x1b\[H\x1b\[2JSeverity: \x1b\[1m\x1b\[33mWARNING\x1b\[0m$/);
    screen.stop();
  });
});

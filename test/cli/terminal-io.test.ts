import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TERMINAL_CONTROL, terminalSafeStream, writeTerminalControl } from '../../electron/cli/terminal-io.js';

function capture(): { stream: PassThrough & { isTTY?: boolean; columns?: number }; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
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
});

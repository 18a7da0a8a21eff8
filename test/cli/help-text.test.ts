// Every command's --help fits 80 columns, the width it is read at, and says all it said before wrapping.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fitHelp } from '../../electron/common/help-text.js';
import { main } from '../../electron/cli/portwatch.js';

async function help(args: string[]): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.setEncoding('utf8').on('data', (d: string) => (text += d));
  await main(args, { stdout: out, stderr: new PassThrough() });
  return text;
}

const words = (t: string): string[] => t.split(/\s+/).filter((w) => w !== '');

describe('--help', () => {
  for (const args of [['--help'], ['check', '--help'], ['capture', '--help'], ['tune', '--help'], ['serve', '--help']]) {
    it(`portwatch ${args.join(' ')} fits 80 columns`, async () => {
      const text = await help(args);
      expect(text.length).toBeGreaterThan(100);
      for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    });
  }
});

describe('fitHelp', () => {
  it('wraps a long option under its description, joining the continuation the author had wrapped, and loses no word', () => {
    const text = ['  --apply              apply the plan through the helper (pkexec or sudo when not root), read the', '                       values back, then keep them', '  --json               print JSON', 'Exit status: 0 ok.'].join('\n');
    const fitted = fitHelp(text);
    expect(fitted.split('\n')).toEqual([
      '  --apply              apply the plan through the helper (pkexec or sudo when',
      '                       not root), read the values back, then keep them',
      '  --json               print JSON',
      'Exit status: 0 ok.',
    ]);
    expect(words(fitted)).toEqual(words(text));
  });

  it('keeps a sentence that ended on its own line, and a word longer than the room whole', () => {
    const long = `      ${'x'.repeat(90)} end of it.`;
    const text = [`      Is the range running out, toward which destination, why, and what to do about it now.`, '      Exit status: 0 ok.', long].join('\n');
    const lines = fitHelp(text).split('\n');
    expect(lines).toContain('      Exit status: 0 ok.');
    expect(lines).toContain(`      ${'x'.repeat(90)}`);
    expect(words(fitHelp(text))).toEqual(words(text));
  });
});

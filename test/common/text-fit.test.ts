// Prose wraps to the width with a hanging indent; commands, values and file lines never wrap.
import { describe, expect, it } from 'vitest';
import { fitText, hanging, verbatim } from '../../electron/common/text-fit.js';

const words = (t: string): string[] => t.split(/\s+/).filter((w) => w !== '');

describe('fitText', () => {
  it('wraps prose at spaces, continuing under a bullet or a label, and loses no word', () => {
    const lines = [
      '  - Spread connections over more source addresses (or destination addresses or ports)',
      '    Why: The limit is per (source address, destination address, destination port): each extra source address brings its own ports.',
      '  ! Port 45000 is in use by a service next to the current range: the wider range stops short of it.',
    ];
    const out = fitText(lines, 60);
    expect(out.split('\n')).toEqual([
      '  - Spread connections over more source addresses (or',
      '    destination addresses or ports)',
      '    Why: The limit is per (source address, destination',
      '         address, destination port): each extra source',
      '         address brings its own ports.',
      '  ! Port 45000 is in use by a service next to the current',
      '    range: the wider range stops short of it.',
      '',
    ]);
    expect(words(out)).toEqual(words(lines.join('\n')));
  });

  it('keeps verbatim lines whole however long, and a null width keeps everything whole', () => {
    const cmd = `  $ /usr/sbin/sysctl -w net.ipv4.ip_local_port_range="32768 65535" ${'x'.repeat(80)}`;
    const prose = `a sentence ${'word '.repeat(30).trim()}`;
    expect(fitText([verbatim(cmd), prose], 40).split('\n')[0]).toBe(cmd);
    expect(fitText([verbatim(cmd), prose], 40).split('\n').slice(1, -1).every((l) => l.length <= 40)).toBe(true);
    expect(fitText([verbatim(cmd), prose], null)).toBe(`${cmd}\n${prose}\n`);
  });

  it('never starts a line with a bare unit, nor splits a command quoted in backticks', () => {
    const out = fitText(['a closed connection holds its port for 60 s, then `sysctl -n net.ipv4.ip_local_port_range` reads it'], 42);
    for (const l of out.split('\n')) expect(l).not.toMatch(/^\s*(s|ms|min)\b/);
    expect(out).toContain('`sysctl -n net.ipv4.ip_local_port_range`');
    expect(out.split('\n')).toContain('a closed connection holds its port for');
  });

  it('still wraps a line with a stray backtick (text from outside), instead of gluing the rest of it', () => {
    const out = fitText([`  - Process \`evil holds ${'many ports toward one destination '.repeat(4)}`], 40);
    for (const l of out.split('\n')) expect(l.length, l).toBeLessThanOrEqual(40);
  });

  it('continues a hanging line at the column it names', () => {
    expect(fitText([hanging('  10.0.0.1 → 10.0.0.2:443: now 12/s new connections; sustainable 471/s → 546/s', 4)], 50).split('\n')).toEqual([
      '  10.0.0.1 → 10.0.0.2:443: now 12/s new',
      '    connections; sustainable 471/s → 546/s',
      '',
    ]);
  });
});

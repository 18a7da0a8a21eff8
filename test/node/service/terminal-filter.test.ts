// What the wizard's terminal shows of the helper's stream: everything but the machine-readable result lines,
// however the stream is cut into chunks.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HELPER_RESULT_PREFIX } from '../../../electron/common/tuning.js';
import { TerminalFilter } from '../../../electron/node/service/terminal-filter.js';

const RESULT = `${HELPER_RESULT_PREFIX}{"schema":1,"outcome":"kept"}\r\n`;

describe('TerminalFilter', () => {
  it('passes a password prompt at once, although it has no newline', () => {
    const f = new TerminalFilter();
    expect(f.push('[sudo] password for ann: ')).toBe('[sudo] password for ann: ');
  });

  it('leaves out result lines, also when they arrive in pieces', () => {
    const f = new TerminalFilter();
    const out = [f.push('portwatch-helper: Writing x\r\n'), f.push(RESULT.slice(0, 10)), f.push(RESULT.slice(10, 40)), f.push(RESULT.slice(40)), f.push('portwatch-helper: done\r\n'), f.flush()].join('');
    expect(out).toBe('portwatch-helper: Writing x\r\nportwatch-helper: done\r\n');
  });

  it('shows the same text whatever the chunking, and never a result line', () => {
    const text = `a line\r\n${RESULT}Password: \r\nanother ${HELPER_RESULT_PREFIX.slice(0, 5)}\r\n${RESULT}end`;
    const whole = new TerminalFilter();
    const expected = whole.push(text) + whole.flush();
    expect(expected).toBe(`a line\r\nPassword: \r\nanother ${HELPER_RESULT_PREFIX.slice(0, 5)}\r\nend`);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const f = new TerminalFilter();
        let out = '';
        let at = 0;
        for (const p of [...points, text.length]) {
          out += f.push(text.slice(at, p));
          at = p;
        }
        out += f.flush();
        expect(out).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

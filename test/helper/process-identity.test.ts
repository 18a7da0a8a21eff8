import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { isAlive, parseProcStat, selfIdentity } from '../../electron/helper/process-identity.js';

describe('a process named by pid and start time', () => {
  it('reads state and start time even when the command name holds spaces and parentheses', () => {
    const stat = '123 (a (b) c) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 98765 20 21';
    expect(parseProcStat(stat)).toEqual({ state: 'S', startTime: '98765' });
    expect(parseProcStat('garbage')).toBeNull();
  });

  it('is alive for this process, not for a recycled pid nor for an ended one', () => {
    const me = selfIdentity();
    expect(isAlive(me)).toBe(true);
    expect(isAlive({ ...me, startTime: '1' })).toBe(false);
    const ended = spawnSync(process.execPath, ['-e', '0']).pid;
    expect(isAlive({ pid: ended, startTime: '0' })).toBe(false);
  });
});

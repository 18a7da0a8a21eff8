import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDarwinPs } from '../../../../electron/node/platform/parse/darwin-ps.js';

describe('parseDarwinPs', () => {
  it('takes the last path component of comm as the name, spaces included', () => {
    const text = '    1 /sbin/launchd\n  523 /System/Library/PrivateFrameworks/ApplePushService.framework/apsd\n 5120 /Applications/Google Chrome.app/Contents/MacOS/Google Chrome Helper\n  88 kernel_task\n';
    const r = parseDarwinPs(text);
    expect(r.problems).toEqual([]);
    expect(Object.fromEntries(r.value!)).toEqual({ 1: 'launchd', 523: 'apsd', 5120: 'Google Chrome Helper', 88: 'kernel_task' });
  });
  it('reports unreadable lines by number and never throws', () => {
    const r = parseDarwinPs('  1 /sbin/launchd\nPID COMM\n', 'ps');
    expect(r.value?.size).toBe(1);
    expect(r.problems).toEqual(['ps: line 2: expected "pid command", got "PID COMM"']);
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (t) => void parseDarwinPs(t)), { numRuns: 300 });
  });
});

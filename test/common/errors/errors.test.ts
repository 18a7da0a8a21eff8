import { describe, expect, it } from 'vitest';
import { CommandFailedError, isCommandFailedError } from '../../../electron/common/errors/command-failed-error.js';
import { FileLimitError, isFileLimitError } from '../../../electron/common/errors/file-limit-error.js';
import { SamplingStoppedError, isSamplingStoppedError } from '../../../electron/common/errors/sampling-stopped-error.js';
import { SystemSettingError, isSystemSettingError } from '../../../electron/common/errors/system-setting-error.js';
import { TuningError, isTuningError } from '../../../electron/common/errors/tuning-error.js';
import { commandSource, execFileRunner } from '../../../electron/node/platform/command-source.js';
import { planInputFromReads } from '../../../electron/node/tuning/machine-input.js';
import { startHelperSession } from '../../../electron/node/tuning/helper-session.js';

const kinds = [
  { name: 'CommandFailedError', make: () => new CommandFailedError('netsh exited with status 1', 'netsh', 1), guard: isCommandFailedError },
  { name: 'FileLimitError', make: () => new FileLimitError('/x holds too many files', '/x'), guard: isFileLimitError },
  { name: 'SamplingStoppedError', make: () => new SamplingStoppedError('stopped'), guard: isSamplingStoppedError },
  { name: 'SystemSettingError', make: () => new SystemSettingError('net.ipv4.ip_local_port_range: short write'), guard: isSystemSettingError },
  { name: 'TuningError', make: () => new TuningError('nothing to apply'), guard: isTuningError },
];

describe('error classes', () => {
  for (const k of kinds) {
    it(`${k.name}: a stable name, and a guard that holds after JSON and only for its own kind`, () => {
      const e = k.make();
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(k.name);
      expect(k.guard(e)).toBe(true);
      expect(k.guard({ ...JSON.parse(JSON.stringify(e)), name: e.name, message: e.message })).toBe(true);
      expect(k.guard(new Error(e.message))).toBe(false);
      for (const other of kinds) if (other !== k) expect(k.guard(other.make())).toBe(false);
      for (const v of [null, undefined, 'TuningError', 42]) expect(k.guard(v)).toBe(false);
    });
  }

  it('a failing command throws a CommandFailedError naming the command and its status', async () => {
    const read = commandSource({ name: 'x', file: '/bin/sh', args: ['-c', 'exit 4'] }, execFileRunner).read;
    const err: unknown = await read(new AbortController().signal).catch((e: unknown) => e);
    expect(isCommandFailedError(err)).toBe(true);
    expect(err).toMatchObject({ command: '/bin/sh -c "exit 4"', exitCode: 4, message: 'exited with status 4' });
  });

  it('planning from a bundle without reads is a TuningError saying what to do', () => {
    let err: unknown;
    try {
      planInputFromReads([], {});
    } catch (e) {
      err = e;
    }
    expect(isTuningError(err)).toBe(true);
    expect((err as Error).message).toMatch(/without reads.*portwatch capture/);
  });

  it('a helper command that is not an absolute path is a TuningError naming it', async () => {
    const err: unknown = await startHelperSession(['pkexec'], {} as Parameters<typeof startHelperSession>[1]).catch((e: unknown) => e);
    expect(isTuningError(err)).toBe(true);
    expect((err as Error).message).toContain('"pkexec"');
  });
});

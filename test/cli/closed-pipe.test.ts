import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { endOutputOnClosedPipe } from '../../electron/cli/closed-pipe.js';

const failure = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`write ${code}`), { code });

describe('endOutputOnClosedPipe', () => {
  it('treats EPIPE as the reader having gone: no message, onClosed once', () => {
    const out = new PassThrough();
    const err = new PassThrough();
    let closed = 0;
    let failed = 0;
    endOutputOnClosedPipe(out, 'stdout', { closed: () => closed++, failed: () => failed++ }, err);
    out.emit('error', failure('EPIPE'));
    out.emit('error', failure('EPIPE'));
    expect(closed).toBe(1);
    expect(failed).toBe(0);
    expect(err.read()).toBeNull();
  });

  it('names any other write failure of stdout once on stderr and reports it once as failed', () => {
    const out = new PassThrough();
    const err = new PassThrough();
    let closed = 0;
    let failed = 0;
    endOutputOnClosedPipe(out, 'stdout', { closed: () => closed++, failed: () => failed++ }, err);
    out.emit('error', failure('ENOSPC'));
    out.emit('error', failure('ENOSPC'));
    expect(String(err.read())).toBe('portwatch: cannot write to stdout: write ENOSPC\n');
    expect(closed).toBe(0);
    expect(failed).toBe(1);
  });

  it('keeps a failing stderr from crashing the command (it has nowhere to be told)', () => {
    const err = new PassThrough();
    const other = new PassThrough();
    endOutputOnClosedPipe(err, 'stderr', {}, other);
    expect(() => err.emit('error', failure('EIO'))).not.toThrow();
    expect(other.read()).toBeNull();
  });
});

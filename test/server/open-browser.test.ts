import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeRedirectFile } from '../../electron/server/open-browser.js';

describe('writeRedirectFile', () => {
  it('keeps the token out of the opener argv: a private page that redirects to the URL', () => {
    const url = 'http://127.0.0.1:8123/?token=abc_DEF-123';
    const file = writeRedirectFile(url);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toContain(`content="0;url=${url}"`);
    expect(file).not.toContain('abc_DEF');
  });
});

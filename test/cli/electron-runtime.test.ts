import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectron } from '../../electron/cli/electron-runtime.js';

describe('finding Electron\'s runtime without requiring the package', () => {
  it('uses ELECTRON_OVERRIDE_DIST_PATH when set, and says which file is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-runtime-'));
    try {
      expect(findElectron({ ELECTRON_OVERRIDE_DIST_PATH: dir })).toEqual({ missing: `${join(dir, 'electron')} does not exist` });
      writeFileSync(join(dir, 'electron'), '');
      chmodSync(join(dir, 'electron'), 0o755);
      expect(findElectron({ ELECTRON_OVERRIDE_DIST_PATH: dir })).toEqual({ path: join(dir, 'electron') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

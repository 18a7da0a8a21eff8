// Finds Electron's executable without requiring the `electron` package: requiring it tries to download
// the runtime when it is missing, and Portwatch must never download anything at run time.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The path of Electron's executable, or the reason there is none. */
export function findElectron(env: NodeJS.ProcessEnv = process.env): { path: string } | { missing: string } {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist');
  if (!name && !env.ELECTRON_OVERRIDE_DIST_PATH) return { missing: 'the electron package was installed without its runtime, which could not be downloaded' };
  const exe = join(dist, name || 'electron');
  return existsSync(exe) ? { path: exe } : { missing: `${exe} does not exist` };
}

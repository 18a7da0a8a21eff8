// `npm start`: the desktop app where Electron's runtime is installed; otherwise the same UI in the
// browser through `portwatch serve --open`, after saying why in one sentence.
import { existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './portwatch.js';
import { findElectron } from './electron-runtime.js';

/** The package root: the nearest folder above this file whose package.json is Portwatch's (source or built layout). */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from, i = 0; i < 10; i++) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'portwatch') return dir;
    } catch {
      // not here
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** What `npm start` will do: launch Electron on the built app, or fall back to serve with the reason. */
export function startPlan(env: NodeJS.ProcessEnv = process.env, root: string | null = packageRoot()): { electron: string; app: string } | { fallback: string } {
  const runtime = findElectron(env);
  if ('missing' in runtime) return { fallback: runtime.missing };
  if (!root) return { fallback: 'the Portwatch package folder was not found' };
  const appMain = join(root, 'out', 'main', 'index.js');
  if (!existsSync(appMain)) return { fallback: `the desktop app is not built (${appMain} is missing; run npm run build)` };
  return { electron: runtime.path, app: root };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const plan = startPlan();
  if ('electron' in plan) {
    const child = spawn(plan.electron, [plan.app, ...process.argv.slice(2)], { stdio: 'inherit' });
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  } else {
    process.stderr.write(`Electron's runtime is not available here (${plan.fallback}), so Portwatch opens the same dashboard in your browser instead (portwatch serve --open).\n`);
    process.exitCode = await main(['serve', '--open', ...process.argv.slice(2)]);
  }
}

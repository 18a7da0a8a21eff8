// `npm start`: the desktop app where Electron's runtime is installed; otherwise the same UI in the
// browser through `portwatch serve --open`, after saying why in one sentence.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from './portwatch.js';
import { findElectron } from '../desktop/electron-runtime.js';

const appMain = fileURLToPath(new URL('../../../../main/index.js', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const electron = findElectron();
  if ('path' in electron && existsSync(appMain)) {
    const child = spawn(electron.path, ['.'], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
  } else {
    const why = 'missing' in electron ? electron.missing : `the desktop app is not built (${appMain} is missing)`;
    process.stderr.write(`Electron's runtime is not available here (${why}), so Portwatch opens the same dashboard in your browser instead.\n`);
    process.exitCode = await main(['serve', '--open', ...process.argv.slice(2)]);
  }
}

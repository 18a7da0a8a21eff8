// `--open`: hands the dashboard to the desktop's opener, as an argv (no shell). The URL carries the token,
// and any local user can read another process's argv, so the opener gets a private file (mode 0600, in a
// 0700 directory) that redirects to the URL, as Jupyter does; the file is removed after a minute.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Writes the private redirect page for url; returns its path. */
export function writeRedirectFile(url: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'portwatch-open-'));
  const file = join(dir, 'open.html');
  const href = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  writeFileSync(file, `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>Portwatch</title><a href="${href}">Open the Portwatch dashboard</a>\n`, { mode: 0o600 });
  setTimeout(() => rmSync(dir, { recursive: true, force: true }), 60_000).unref();
  return file;
}

/** Opens the dashboard in the default browser; resolves false when no opener could be started. */
export function openBrowser(dashboardUrl: string): Promise<boolean> {
  const url = pathToFileURL(writeRedirectFile(dashboardUrl)).href;
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true, shell: false });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}

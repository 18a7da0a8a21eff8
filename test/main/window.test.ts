// The window: its security options and the CSP are what the issue asks (static), only index.ts
// brings Electron in at run time, and the window controller opens, refocuses and forgets it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESKTOP_CSP, APP_RESPONSE_HEADERS } from '../../electron/desktop/app-files.js';
import { pageUrl, WEB_PREFERENCES, windowOptions, WindowController } from '../../electron/main/window.js';
import { FakeElectron } from '../desktop/fake-electron.js';
import { APP_SCHEME_PRIVILEGES } from '../../electron/main/desktop-app.js';

const REPO = new URL('../../', import.meta.url).pathname;

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

function tsFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('window and CSP (static)', () => {
  it('isolates and sandboxes the renderer, without Node, webviews or insecure content', () => {
    expect(WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      experimentalFeatures: false,
    });
    expect(Object.isFrozen(WEB_PREFERENCES)).toBe(true);
    const o = windowOptions('/p/index.cjs', null);
    expect(o.webPreferences).toEqual({ ...WEB_PREFERENCES, preload: '/p/index.cjs' });
    expect(o.show).toBe(false);
  });

  it('has a strict CSP: only its own scripts and styles, nothing inline, nothing remote, no plugins, no framing', () => {
    const d = directives(DESKTOP_CSP);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    for (const [name, values] of d) {
      for (const v of values) {
        expect(v, `${name} ${v}`).not.toMatch(/unsafe|\*|^https?:|^ws:|^blob:/);
      }
    }
    expect(APP_RESPONSE_HEADERS['Content-Security-Policy']).toBe(DESKTOP_CSP);
  });

  it('registers app:// as a standard secure scheme without CSP bypass or service workers', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('allowServiceWorkers');
  });

  it('opens at a destination through the URL fragment only', () => {
    expect(pageUrl(null)).toBe('app://portwatch/index.html');
    expect(pageUrl('ns|10.0.0.1|10.0.3.7|5432')).toBe('app://portwatch/index.html#destination=ns%7C10.0.0.1%7C10.0.3.7%7C5432');
  });

  it('imports Electron at run time in electron/main/index.ts and the preload entry only; everything else takes it as a parameter', () => {
    const runtimeImports = [...tsFiles('electron'), join(REPO, 'electron.vite.config.ts')]
      .filter((f) => /^import (?!type )[^;]*from 'electron(\/[a-z]+)?';$/m.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(REPO.length));
    expect(runtimeImports.sort()).toEqual(['electron/main/index.ts', 'electron/preload/index.ts']);
  });

  it('never requires the electron package from Node-side code (it would try to download the runtime)', () => {
    for (const f of [...tsFiles('electron/node'), ...tsFiles('electron/cli'), ...tsFiles('electron/desktop'), ...tsFiles('electron/server'), ...tsFiles('test/main'), ...tsFiles('test/desktop')]) {
      expect(readFileSync(f, 'utf8'), f).not.toMatch(/require\(['"]electron['"]\)|import\(['"]electron['"]\)|^import (?!type )[^;]*from 'electron';$/m);
    }
  });
});

describe('window controller', () => {
  it('opens one window, brings it forward at a destination, trusts only its live page, and opens a new one after close', () => {
    const fake = new FakeElectron();
    const logs: string[] = [];
    const c = new WindowController(fake.api, windowOptions('/p.cjs', null), (l) => logs.push(l));
    expect(c.current()).toBeNull();
    expect(c.trustedId()).toBeNull();
    c.show(null);
    const win = fake.window!;
    expect(c.trustedId()).toBe(win.webContents.id);
    expect(c.webContents()).toBe(win.webContents);
    win.minimized = true;
    c.show('|a|b|1');
    expect(fake.windows).toHaveLength(1);
    expect(win.loaded).toEqual([pageUrl(null), pageUrl('|a|b|1')]);
    expect(win.minimized || !win.visible || !win.focused).toBe(false);
    win.close();
    expect(c.current()).toBeNull();
    expect(c.trustedId()).toBeNull();
    expect(c.webContents()).toBeNull();
    c.show('|x|y|2');
    expect(fake.windows).toHaveLength(2);
    expect(fake.window!.loaded).toEqual([pageUrl('|x|y|2')]);
    expect(logs).toEqual([]);
  });

  it('opens the page of a listed host, stays on the host it shows unless told, and follows a host that moved in the list', () => {
    const fake = new FakeElectron();
    const c = new WindowController(fake.api, windowOptions('/p.cjs', null), () => undefined);
    expect(c.shownScope()).toBeNull();
    c.show('|a|b|1', 2);
    const win = fake.window!;
    expect(win.loaded).toEqual(['app://portwatch/index.html?host=2#destination=%7Ca%7Cb%7C1']);
    expect(c.shownScope()).toBe(2);
    c.show(null); // the tray's Open: the window as it is
    c.show('|c|d|2'); // a destination on the host shown
    expect(win.loaded.at(-1)).toBe('app://portwatch/index.html?host=2#destination=%7Cc%7Cd%7C2');
    c.show(null, 0); // this computer (a notification about it)
    expect(win.loaded.at(-1)).toBe('app://portwatch/index.html');
    expect(win.loaded).toHaveLength(3);
    win.visible = false;
    win.focused = false;
    c.rescope(0); // already there: nothing loads
    c.rescope(1);
    expect(win.loaded).toEqual(['app://portwatch/index.html?host=2#destination=%7Ca%7Cb%7C1', 'app://portwatch/index.html?host=2#destination=%7Cc%7Cd%7C2', 'app://portwatch/index.html', 'app://portwatch/index.html?host=1']);
    expect(win.visible || win.focused).toBe(false); // a list edit does not pull the window forward
  });
});

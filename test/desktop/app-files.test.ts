import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appResponse, DESKTOP_CSP, resolveAppFile, withCspMeta } from '../../electron/desktop/app-files.js';

let base: string;
let root: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'pw-appfiles-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>\n<html>\n  <head>\n    <meta charset="utf-8" />\n  </head>\n  <body></body>\n</html>\n');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => appResponse({ url, method }, root);

describe('app:// files', () => {
  it('serves the page with the CSP as header and as the first meta tag of <head>', async () => {
    const r = await get('app://portwatch/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await r.text();
    expect(html.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(html.indexOf('charset'));
  });

  it('serves scripts and styles with their types and the same headers', async () => {
    const js = await get('app://portwatch/assets/app.js');
    expect([js.status, js.headers.get('content-type'), await js.text()]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
    expect((await get('app://portwatch/assets/app.css')).headers.get('content-security-policy')).toBe(DESKTOP_CSP);
  });

  it.each([
    ['a parent folder', 'app://portwatch/../secret.txt', [403, 404]],
    ['an encoded parent folder', 'app://portwatch/%2e%2e/secret.txt', [403, 404]],
    ['an encoded slash and parent', 'app://portwatch/assets%2f..%2f..%2fsecret.txt', [403]],
    ['a backslash', 'app://portwatch/assets\\..\\..\\secret.txt', [400, 403, 404]],
    ['a NUL byte', 'app://portwatch/index.html%00.js', [400]],
    ['bad percent-encoding', 'app://portwatch/%E0%A4%A', [400]],
    ['a symbolic link out of the folder', 'app://portwatch/assets/link.txt', [403]],
    ['another host', 'app://other/index.html', [403]],
    ['another scheme', 'file:///etc/passwd', [403]],
    ['a missing file', 'app://portwatch/nope.js', [404]],
  ])('refuses %s', async (_name, url, statuses) => {
    const r = await get(url);
    expect(statuses).toContain(r.status);
    expect(await r.text()).not.toContain('secret');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://portwatch/index.html', 'HEAD');
    expect([head.status, await head.text()]).toEqual([200, '']);
    expect((await get('app://portwatch/index.html', 'POST')).status).toBe(405);
  });

  it('adds the meta tag once, also to pages without a head', () => {
    const once = withCspMeta('<html><head></head></html>');
    expect(withCspMeta(once)).toBe(once);
    expect(withCspMeta('<p>x</p>')).toMatch(/^<meta http-equiv="Content-Security-Policy"/);
  });

  it('resolves the root to index.html', async () => {
    expect(await resolveAppFile('app://portwatch/', root)).toMatchObject({ path: expect.stringMatching(/index\.html$/) });
  });
});

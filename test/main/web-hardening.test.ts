import { describe, expect, it } from 'vitest';
import { DESKTOP_CSP } from '../../electron/desktop/app-files.js';
import { hardenSession, hardenWebContents } from '../../electron/main/web-hardening.js';
import { FakeElectron, FakeSession, FakeWebContents, preventable } from '../desktop/fake-electron.js';

describe('web hardening', () => {
  it('denies every navigation; allow-listed https links go to the OS browser instead', () => {
    const fake = new FakeElectron();
    const wc = new FakeWebContents();
    const log: string[] = [];
    hardenWebContents(wc, fake.api.shell, (l) => log.push(l));
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://portwatch/other.html', 'https://docs.kernel.org/networking/ip-sysctl.html']) {
      const e = preventable();
      wc.emit('will-navigate', e, url);
      expect(e.defaultPrevented).toBe(true);
    }
    expect(fake.openedExternal).toEqual(['https://docs.kernel.org/networking/ip-sysctl.html']);
    expect(log.filter((l) => l.startsWith('external link refused'))).toHaveLength(3);
  });

  it('lets the page load itself for another host (the host picker\'s ?host=N), and nothing else of the app\'s origin', () => {
    const fake = new FakeElectron();
    const wc = new FakeWebContents();
    hardenWebContents(wc, fake.api.shell, () => undefined);
    const prevented = (url: string): boolean => {
      const e = preventable();
      wc.emit('will-navigate', e, url);
      return e.defaultPrevented;
    };
    for (const url of ['app://portwatch/index.html?host=2', 'app://portwatch/?host=0', 'app://portwatch/index.html?host=63#destination=x', 'app://portwatch/index.html']) expect(prevented(url), url).toBe(false);
    for (const url of ['app://portwatch/index.html?host=64', 'app://portwatch/index.html?host=1&x=2', 'app://portwatch/index.html?host=-1', 'app://portwatch/index.html?host=1a', 'app://portwatch/other.html?host=1', 'app://evil/index.html?host=1', 'app://u:p@portwatch/index.html?host=1', 'http://portwatch/index.html?host=1']) {
      expect(prevented(url), url).toBe(true);
    }
    expect(fake.openedExternal).toEqual([]);
  });

  it('denies every new window, opening only allow-listed https links externally', () => {
    const fake = new FakeElectron();
    const wc = new FakeWebContents();
    hardenWebContents(wc, fake.api.shell, () => undefined);
    expect(wc.windowOpenHandler!({ url: 'https://github.com/portwatch' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'http://github.com/portwatch' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(fake.openedExternal).toEqual(['https://github.com/portwatch']);
  });

  it('refuses redirects and webviews', () => {
    const wc = new FakeWebContents();
    hardenWebContents(wc, new FakeElectron().api.shell, () => undefined);
    const r = preventable();
    wc.emit('will-redirect', r, 'https://x.example/');
    const w = preventable();
    wc.emit('will-attach-webview', w);
    expect([r.defaultPrevented, w.defaultPrevented]).toEqual([true, true]);
  });

  it('denies every permission request, check and device, and sets the CSP on every response', () => {
    const s = new FakeSession();
    hardenSession(s, () => undefined);
    for (const p of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal', 'unknown']) {
      let granted: boolean | null = null;
      s.permissionRequest!({}, p, (g) => (granted = g));
      expect(granted).toBe(false);
      expect(s.permissionCheck!({}, p)).toBe(false);
    }
    expect(s.devicePermission!({})).toBe(false);
    let out: Record<string, string[] | string> | undefined;
    s.headersListener!({ url: 'app://portwatch/', responseHeaders: { 'content-security-policy': ["default-src *"], 'X-Other': ['1'] } }, (r) => (out = r.responseHeaders));
    expect(out).toEqual({ 'Content-Security-Policy': [DESKTOP_CSP], 'X-Other': ['1'] });
  });

  it('hardens every webContents the app creates', async () => {
    const fake = new FakeElectron();
    const { createDesktopApp } = await import('../../electron/main/desktop-app.js');
    createDesktopApp(fake.api, {
      argv: [],
      env: {},
      platform: 'linux',
      rendererDir: '/r',
      preloadPath: '/p',
      trayIconDir: '/t',
      windowIconPath: null,
      startMonitor: () => {
        throw new Error('not started in this test');
      },
      attribution: { kind: 'unknown', why: '' },
      tuning: { available: false, note: '' },
      execPath: '/e',
    });
    const wc = new FakeWebContents();
    fake.webContentsCreated(wc);
    expect(wc.windowOpenHandler).not.toBeNull();
  });
});

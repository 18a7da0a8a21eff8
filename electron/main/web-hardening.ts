// Deny-by-default for everything web content could ask of the app: no navigation away from the app's
// page (only to its own page of another host), no new windows (allow-listed https links go to the OS browser instead), no <webview>, no
// permission of any kind, and the CSP header on every response the session sees.
import { DESKTOP_CSP } from '../desktop/app-files.js';
import { isAllowedExternalUrl } from '../desktop/external-links.js';
import { hostScopeOf } from '../desktop/host-scope.js';
import type { ElectronApi, SessionLike, WebContentsLike } from './electron-api.js';

type Log = (line: string) => void;

/** Denies every permission request and check, every device, and adds the CSP to every response. */
export function hardenSession(session: SessionLike, log: Log): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => {
    log(`permission request denied: ${String(permission).slice(0, 60)}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[] | string> = { ...(details.responseHeaders ?? {}) };
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    headers['Content-Security-Policy'] = [DESKTOP_CSP];
    callback({ responseHeaders: headers });
  });
}

/** Opens url in the OS browser when it is allow-listed; returns whether it did. */
export function openExternalIfAllowed(shell: ElectronApi['shell'], url: string, log: Log): boolean {
  if (!isAllowedExternalUrl(url)) {
    log(`external link refused: ${url.slice(0, 120)}`);
    return false;
  }
  void shell.openExternal(url).catch((err: unknown) => log(`could not open ${url}: ${String(err)}`));
  return true;
}

/** Locks down one webContents (every one the app creates, through app 'web-contents-created'). */
export function hardenWebContents(contents: WebContentsLike, shell: ElectronApi['shell'], log: Log): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(shell, url, log);
    return { action: 'deny' };
  });
  // The page navigates only to itself for another host (`?host=N`, the host picker); any other link is
  // either external (the browser) or nothing.
  contents.on('will-navigate', (event, url) => {
    if (hostScopeOf(url) !== null) return;
    event.preventDefault();
    openExternalIfAllowed(shell, url, log);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log(`redirect refused: ${String(url).slice(0, 120)}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('webview refused');
  });
}

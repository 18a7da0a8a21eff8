// How the desktop window's files are served: from the built renderer folder under a custom privileged
// scheme, app://portwatch/. Why not file://: every file:// page shares one origin with the whole disk
// (a script could fetch any local file that CSP 'self' then allows), and file:// responses carry no
// headers; app:// gives the page an origin of its own that the IPC chokepoint can check, a CSP header on
// every response, and a server that answers only files inside the renderer folder.
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'portwatch';
/** The origin of the desktop window's page. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The desktop window's Content-Security-Policy: only this origin's scripts and styles (Svelte 5 needs no
 * inline style), no plugins, no framing, no form posts, nothing remote.
 */
export const DESKTOP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every app:// response. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': DESKTOP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** The CSP as a meta tag, for pages whose headers a tool may strip (saved copies, devtools overrides). */
export const CSP_META_TAG = `<meta http-equiv="Content-Security-Policy" content="${DESKTOP_CSP}">`;

/** html with the CSP meta tag as the first element of <head> (added when the page has none). */
export function withCspMeta(html: string): string {
  if (/<meta[^>]+http-equiv=["']?content-security-policy/i.test(html)) return html;
  const head = /<head[^>]*>/i.exec(html);
  if (!head) return `${CSP_META_TAG}\n${html}`;
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}\n    ${CSP_META_TAG}${html.slice(at)}`;
}

/** The file under root that url names, or why none is served. */
export async function resolveAppFile(url: string, root: string): Promise<{ path: string } | { status: 400 | 403 | 404; why: string }> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { status: 400, why: 'unparseable URL' };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return { status: 403, why: `not ${APP_ORIGIN}` };
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return { status: 400, why: 'malformed percent-encoding' };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return { status: 400, why: 'forbidden character in path' };
  const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const rootReal = await realpath(root).catch(() => resolve(root));
  const candidate = resolve(rootReal, rel);
  if (candidate !== rootReal && !candidate.startsWith(rootReal + sep)) return { status: 403, why: 'outside the renderer folder' };
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { status: 404, why: 'no such file' };
  }
  // A symbolic link inside the folder must not lead out of it.
  if (!real.startsWith(rootReal + sep)) return { status: 403, why: 'links outside the renderer folder' };
  return { path: real };
}

/** Answers one app:// request from the files under root (GET and HEAD only). */
export async function appResponse(request: { url: string; method: string }, root: string): Promise<Response> {
  const headers = (type: string): Record<string, string> => ({ ...APP_RESPONSE_HEADERS, 'Content-Type': type });
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405, headers: headers('text/plain; charset=utf-8') });
  const r = await resolveAppFile(request.url, root);
  if ('status' in r) return new Response(r.why, { status: r.status, headers: headers('text/plain; charset=utf-8') });
  const ext = extname(r.path).toLowerCase();
  const type = TYPES[ext] ?? 'application/octet-stream';
  let body: Buffer;
  try {
    body = await readFile(r.path);
  } catch {
    return new Response('not readable', { status: 404, headers: headers('text/plain; charset=utf-8') });
  }
  const payload = ext === '.html' ? Buffer.from(withCspMeta(body.toString('utf8')), 'utf8') : body;
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(payload), { status: 200, headers: headers(type) });
}

/** The renderer folder beside the built main process (out/main → out/renderer). */
export function rendererDirBeside(mainDir: string): string {
  return join(mainDir, '..', 'renderer');
}

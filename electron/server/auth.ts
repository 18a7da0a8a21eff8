// The per-launch token: 256 random bits, compared in constant time, accepted from an Authorization header,
// a cookie the first visit sets, or the `token` query parameter of the URL that serve prints. The token
// itself is never logged.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh token (32 random bytes, base64url: 256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time equality of two secrets of any length (both are hashed first so lengths do not leak). */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** The cookie name for a server on this port (cookies are shared by every port of a host). */
export function cookieName(port: number): string {
  return `portwatch_token_${port}`;
}

/** Value of one cookie from a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Where a request presented a token, if anywhere. */
export function presentedToken(req: IncomingMessage, url: URL, port: number): { token: string; via: 'header' | 'cookie' | 'query' } | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer /i.test(auth)) return { token: auth.slice(7).trim(), via: 'header' };
  const c = readCookie(req.headers.cookie, cookieName(port));
  if (c !== undefined) return { token: c, via: 'cookie' };
  const q = url.searchParams.get('token');
  if (q !== null) return { token: q, via: 'query' };
  return null;
}

/** True when the request carries the right token anywhere it may. */
export function isAuthorized(req: IncomingMessage, url: URL, port: number, token: string): boolean {
  const p = presentedToken(req, url, port);
  return p !== null && sameSecret(p.token, token);
}

// The page credential: a second per-launch secret that only the dashboard page holds. It is set only as
// an HttpOnly, SameSite=Strict cookie, in exchange for the launch key of the URL that serve prints (never
// written to the token file), and read only from that cookie: a Bearer header or a query never carries it.
// So the token (which Prometheus holds) reads everything and changes nothing.

/** The cookie name of the page credential for a server on this port. */
export function pageCookieName(port: number): string {
  return `portwatch_page_${port}`;
}

/** The Set-Cookie value that gives a page the credential. */
export function pageCookie(port: number, secret: string): string {
  return `${pageCookieName(port)}=${secret}; HttpOnly; SameSite=Strict; Path=/`;
}

/** True when the request carries the page credential, in its cookie and nowhere else. */
export function hasPageCredential(req: IncomingMessage, port: number, secret: string): boolean {
  const c = readCookie(req.headers.cookie, pageCookieName(port));
  return c !== undefined && sameSecret(c, secret);
}

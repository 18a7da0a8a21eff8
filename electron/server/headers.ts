// Security headers sent with every response.
import type { ServerResponse } from 'node:http';

/** Sets the headers every answer carries (CSP allows only this origin; no framing, no referrer, no sniffing). */
export function setSecurityHeaders(res: ServerResponse, host: string | undefined): void {
  const ws = host ? ` ws://${host}` : '';
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'${ws}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), serial=()');
  res.setHeader('Cache-Control', 'no-store');
}

// `serve --metrics-only`: an exporter and nothing else, as node_exporter users expect. GET/HEAD /metrics
// (and a one-line page at /), no dashboard, no WebSocket, no way to change anything. On loopback the token is
// optional and the Host header must name this server (so a web page cannot read it through DNS rebinding);
// on any other address the token is required unless --metrics-public says otherwise.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { isAuthorized } from './auth.js';
import { ConnectionGuard } from './connection-guard.js';
import { setSecurityHeaders } from './headers.js';
import { allowedHosts, hostAllowed, isLoopback } from './origin-check.js';

/** How the exporter is set up. */
export interface MetricsServerOptions {
  metrics: () => string;
  token: string;
  host: string;
  allowHosts?: readonly string[];
  /** Serve /metrics without the token. */
  public: boolean;
  maxConnections?: number;
}

/** A running exporter. */
export interface MetricsServer {
  server: Server;
  listen(port: number): Promise<number>;
  close(): Promise<void>;
}

const INDEX = 'Portwatch exporter: metrics at /metrics\n';

/** Creates (without starting) the metrics-only server. */
export function createMetricsServer(o: MetricsServerOptions): MetricsServer {
  let port = 0;
  let allowed = new Set<string>();
  // Rebinding matters where a browser on this machine is the only way in: loopback.
  const checkHost = isLoopback(o.host);

  const answer = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
    res.statusCode = status;
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    setSecurityHeaders(res, undefined);
    if (checkHost && !hostAllowed(req.headers.host, allowed)) return answer(res, 403, 'Forbidden: unknown Host header (this exporter answers only to its own address)\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return answer(res, 405, 'Method Not Allowed: this exporter is read-only\n');
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://exporter');
    } catch {
      return answer(res, 400, 'Bad Request: unreadable URL\n');
    }
    if (url.pathname === '/') return answer(res, 200, INDEX);
    if (url.pathname !== '/metrics') return answer(res, 404, 'Not Found: this is a metrics-only exporter (serve --metrics-only); see /metrics\n');
    const authorized = isAuthorized(req, url, port, o.token);
    if (authorized) guard.prove(req.socket);
    if (!o.public && !authorized) return answer(res, 401, 'Unauthorized: send Authorization: Bearer <token> (the file given to --token-file)\n');
    let text: string;
    try {
      text = o.metrics();
    } catch {
      return answer(res, 500, 'Internal Server Error: the metrics could not be rendered\n');
    }
    return answer(res, 200, text, 'text/plain; version=0.0.4; charset=utf-8');
  };

  const onUpgrade = (_req: IncomingMessage, socket: Duplex): void => {
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  };

  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, maxHeaderSize: 16 * 1024 });
  // Slowloris: the same guard as the dashboard (own header deadline, per-peer cap, slots for the token).
  const guard = new ConnectionGuard();
  guard.attach(server);
  server.on('request', onRequest);
  server.maxConnections = o.maxConnections ?? 1024;
  server.keepAliveTimeout = 5_000;
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return {
    server,
    listen: (p) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(p, o.host, () => {
          server.off('error', reject);
          const addr = server.address();
          port = typeof addr === 'object' && addr ? addr.port : p;
          allowed = allowedHosts(o.host, port, o.allowHosts ?? []);
          resolve(port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

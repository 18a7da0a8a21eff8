// Starts the real dashboard server (startServe) on a random loopback port with a hand-driven sampler and a
// tiny built renderer, for the server tests; and helpers to talk to it raw.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { request } from 'node:http';
import { startServe, type RunningServe } from '../../electron/server/serve.js';
import type { ServeOptions } from '../../electron/server/serve-args.js';
import { ManualSampler } from '../node/service/make-sample.js';
import type { TuningHostOptions } from '../../electron/node/service/tuning-host.js';

export interface Fixture extends RunningServe {
  sampler: ManualSampler;
  base: string;
}

/** A running server (close it in afterAll/afterEach). */
export async function startFixture(over: Partial<ServeOptions> = {}, tuning?: TuningHostOptions | null): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Portwatch</title><script type="module" src="./assets/app.js"></script>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'export {};');
  const sampler = new ManualSampler();
  const opts: ServeOptions = { host: '127.0.0.1', port: 0, open: false, metricsPublic: false, allowRemote: false, allowHosts: [], tokenFile: null, help: false, ...over };
  const s = await startServe(opts, sampler, { rendererDir: dir, ...(tuning !== undefined ? { tuning } : {}) });
  return { ...s, sampler, base: `http://127.0.0.1:${s.port}` };
}

/** One HTTP exchange with full control of method, path and headers (fetch would fix Host and Origin). */
export function rawHttp(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers }, setHost: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Opens a WebSocket by hand (raw TCP) so tests can send frames no client library would. */
export function rawWebSocket(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; socket: import('node:net').Socket; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: ${headers.Host ?? `127.0.0.1:${port}`}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      ...Object.entries(headers)
        .filter(([k]) => k !== 'Host')
        .map(([k, v]) => `${k}: ${v}`),
      '',
      '',
    ];
    let buf = '';
    const onData = (c: Buffer): void => {
      buf += c.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(buf)?.[1] ?? 0);
      resolve({ status, socket, head: buf.slice(0, end) });
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.write(lines.join('\r\n'));
  });
}

/** A client-to-server frame (masked unless told otherwise), with control over every header bit. */
export function frame(opcode: number, payload: Buffer, o: { fin?: boolean; rsv?: number; mask?: boolean; declaredLength?: number } = {}): Buffer {
  const fin = o.fin ?? true;
  const mask = o.mask ?? true;
  const len = o.declaredLength ?? payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | opcode];
  if (len < 126) head.push((mask ? 0x80 : 0) | len);
  else if (len < 65536) head.push((mask ? 0x80 : 0) | 126, len >> 8, len & 255);
  else {
    head.push((mask ? 0x80 : 0) | 127, 0, 0, 0, 0, (len >>> 24) & 255, (len >>> 16) & 255, (len >>> 8) & 255, len & 255);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = Buffer.from([1, 2, 3, 4]);
  const body = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), key, body]);
}

/** Reads server frames (unmasked) from a raw socket until `until` says stop or the socket closes. */
export function readFrames(socket: import('node:net').Socket, until: (frames: { opcode: number; payload: Buffer }[]) => boolean, timeoutMs = 5000): Promise<{ frames: { opcode: number; payload: Buffer }[]; closed: boolean }> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const frames: { opcode: number; payload: Buffer }[] = [];
    const done = (closed: boolean): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve({ frames, closed });
    };
    const onData = (c: Buffer): void => {
      buf = Buffer.concat([buf, c]);
      for (;;) {
        if (buf.length < 2) break;
        let len = buf[1]! & 0x7f;
        let off = 2;
        if (len === 126) {
          if (buf.length < 4) break;
          len = buf.readUInt16BE(2);
          off = 4;
        } else if (len === 127) {
          if (buf.length < 10) break;
          len = Number(buf.readBigUInt64BE(2));
          off = 10;
        }
        if (buf.length < off + len) break;
        frames.push({ opcode: buf[0]! & 0x0f, payload: buf.subarray(off, off + len) });
        buf = buf.subarray(off + len);
      }
      if (until(frames)) done(false);
    };
    const onClose = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}

/** A message from the server as JSON. */
export interface ServerReply {
  id?: number;
  ok?: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  event?: string;
  data?: unknown;
}

/** A raw WebSocket that keeps every text frame the server sends from the start (none lost between calls). */
export class FrameLog {
  readonly messages: ServerReply[] = [];
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiters = new Set<() => void>();

  constructor(readonly socket: import('node:net').Socket) {
    socket.on('data', (c: Buffer) => {
      this.buf = Buffer.concat([this.buf, c]);
      for (;;) {
        if (this.buf.length < 2) break;
        let len = this.buf[1]! & 0x7f;
        let off = 2;
        if (len === 126) {
          if (this.buf.length < 4) break;
          len = this.buf.readUInt16BE(2);
          off = 4;
        } else if (len === 127) {
          if (this.buf.length < 10) break;
          len = Number(this.buf.readBigUInt64BE(2));
          off = 10;
        }
        if (this.buf.length < off + len) break;
        const opcode = this.buf[0]! & 0x0f;
        if (opcode === 1) this.messages.push(JSON.parse(this.buf.subarray(off, off + len).toString('utf8')) as ServerReply);
        this.buf = this.buf.subarray(off + len);
      }
      for (const w of [...this.waiters]) w();
    });
  }

  /** Resolves with the first message (seen or to come) matching; rejects after timeoutMs. */
  waitFor(match: (m: ServerReply) => boolean, timeoutMs = 20_000): Promise<ServerReply> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = this.messages.find(match);
        if (!m) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Sends one request and resolves with its answer. */
  call(method: string, params: unknown): Promise<ServerReply> {
    const id = this.nextId++;
    this.socket.write(frame(1, Buffer.from(JSON.stringify({ id, method, params }))));
    return this.waitFor((m) => m.id === id);
  }
}

/** What the printed URL gives a browser: the cookies of the token exchange (`name=value` pairs joined for a Cookie header). */
export async function openPrintedUrl(f: RunningServe): Promise<{ status: number; cookie: string; names: string[] }> {
  const u = new URL(f.url);
  const r = await rawHttp(f.port, 'GET', `${u.pathname}${u.search}`);
  const set = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  const pairs = set.map((c) => c.split(';')[0]!);
  return { status: r.status, cookie: pairs.join('; '), names: pairs.map((p) => p.split('=')[0]!) };
}

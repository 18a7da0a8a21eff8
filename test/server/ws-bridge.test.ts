// Hostile WebSocket traffic against the real server: malformed frames and hostile JSON are refused with a
// clear error (or the connection is closed with the protocol's status), and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cookieName } from '../../electron/server/auth.js';
import { frame, rawHttp, rawWebSocket, readFrames, startFixture, type Fixture } from './serve-fixture.js';
import { makeSample, makeTick } from '../node/service/make-sample.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(async () => {
  await f.close();
});

async function open() {
  const r = await rawWebSocket(f.port, '/ws', { Origin: `http://127.0.0.1:${f.port}`, Cookie: `${cookieName(f.port)}=${f.token}` });
  expect(r.status).toBe(101);
  return r.socket;
}

const closeCode = (fr: { opcode: number; payload: Buffer }[]) => {
  const c = fr.find((x) => x.opcode === 8);
  return c && c.payload.length >= 2 ? c.payload.readUInt16BE(0) : null;
};

/** Sends one text message and returns the first JSON response (not an event). */
async function ask(socket: import('node:net').Socket, text: string | Buffer, opcode = 1) {
  socket.write(frame(opcode, Buffer.isBuffer(text) ? text : Buffer.from(text)));
  const got = await readFrames(socket, (fr) => fr.some((x) => x.opcode === 1 && !x.payload.toString().startsWith('{"event"')) || fr.some((x) => x.opcode === 8));
  const resp = got.frames.filter((x) => x.opcode === 1).map((x) => JSON.parse(x.payload.toString()) as Record<string, unknown>).find((m) => !('event' in m));
  return { resp, close: closeCode(got.frames), closed: got.closed };
}

async function stillServing(): Promise<void> {
  const s = await open();
  const { resp } = await ask(s, JSON.stringify({ id: 1, method: 'getInfo', params: {} }));
  expect(resp).toMatchObject({ id: 1, ok: true });
  s.destroy();
  expect((await rawHttp(f.port, 'GET', '/metrics', { authorization: `Bearer ${f.token}` })).status).toBe(200);
}

describe('malformed frames', () => {
  it.each([
    ['an unmasked client frame', frame(1, Buffer.from('{}'), { mask: false }), 1002],
    ['reserved bits set', frame(1, Buffer.from('{}'), { rsv: 4 }), 1002],
    ['an unknown opcode', frame(3, Buffer.from('{}')), 1002],
    ['a fragmented control frame', frame(9, Buffer.from('x'), { fin: false }), 1002],
    ['invalid UTF-8 in a text frame', frame(1, Buffer.from([0xc3, 0x28, 0xff])), 1007],
    ['a frame larger than the limit', frame(1, Buffer.alloc(70_000, 0x20)), 1009],
    ['a declared length of 2^32', frame(1, Buffer.alloc(0), { declaredLength: 2 ** 32 - 1 }), 1009],
  ])('closes the connection on %s and keeps serving others', async (_name, bytes, code) => {
    const s = await open();
    s.write(bytes);
    const got = await readFrames(s, (fr) => fr.some((x) => x.opcode === 8));
    expect(closeCode(got.frames)).toBe(code);
    s.destroy();
    await stillServing();
  });
});

describe('hostile messages', () => {
  it('answers text that is not JSON with an error that says so', async () => {
    const s = await open();
    const { resp } = await ask(s, '{"id": 1, "method": ');
    expect(resp).toMatchObject({ id: null, ok: false, error: { code: 'bad-request' } });
    expect(String((resp!.error as { message: string }).message)).toMatch(/^message is not JSON/);
    s.destroy();
  });

  it('answers a binary frame with an error naming the rule', async () => {
    const s = await open();
    const { resp } = await ask(s, Buffer.from(JSON.stringify({ id: 1, method: 'getInfo', params: {} })), 2);
    expect(resp).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'binary frames are not part of the contract: send JSON text' } });
    s.destroy();
  });

  it('names the culprit field of a bad request and does not disturb the monitor', async () => {
    const s = await open();
    const { resp } = await ask(s, JSON.stringify({ id: 4, method: 'getHistory', params: { windowSec: 1e12, buckets: 100 } }));
    expect(resp).toEqual({ id: 4, ok: false, error: { code: 'bad-request', message: 'request.params.windowSec: expected an integer in [60, 604800], got 1000000000000' } });
    s.destroy();
    await stillServing();
  });

  it('refuses deeply nested, prototype-polluting and oversized-but-allowed JSON', async () => {
    const s = await open();
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    expect((await ask(s, deep)).resp).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'request: expected an object, got an array of 1' } });
    const proto = '{"id":1,"method":"getInfo","params":{"__proto__":{"polluted":true}}}';
    expect((await ask(s, proto)).resp).toMatchObject({ id: 1, ok: false, error: { message: 'request.params: unknown field "__proto__"' } });
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    const big = JSON.stringify({ id: 2, method: 'getEvents', params: { limit: 5, pad: 'x'.repeat(60_000) } });
    expect((await ask(s, big)).resp).toMatchObject({ id: 2, ok: false, error: { message: 'request.params: unknown field "pad"' } });
    s.destroy();
    await stillServing();
  });

  it('survives a barrage of arbitrary JSON without a crash, answering each with a well-formed response', async () => {
    const s = await open();
    const samples = fc.sample(fc.jsonValue({ maxDepth: 5 }), 150);
    for (const v of samples) {
      const { resp, closed, close } = await ask(s, JSON.stringify(v) ?? 'null');
      if (closed || close !== null) {
        expect(close).toBe(1008); // too many refusals: the server closes this client (policy), never crashes
        break;
      }
      expect(resp).toHaveProperty('ok');
    }
    s.destroy();
    await stillServing();
  });

  it('rate-limits a flood and closes a client that keeps sending refused messages', async () => {
    const s = await open();
    const flood = Buffer.concat(Array.from({ length: 300 }, () => frame(1, Buffer.from('nope'))));
    s.write(flood);
    const got = await readFrames(s, (fr) => fr.some((x) => x.opcode === 8));
    const codes = got.frames.filter((x) => x.opcode === 1).map((x) => (JSON.parse(x.payload.toString()) as { error?: { code: string } }).error?.code);
    expect(codes).toContain('rate-limited');
    expect(closeCode(got.frames)).toBe(1008);
    s.destroy();
    await stillServing();
  });
});

describe('events', () => {
  it('pushes samples, ticks and history points to every connected client', async () => {
    const a = await open();
    const b = await open();
    const wait = (s: import('node:net').Socket) => readFrames(s, (fr) => fr.filter((x) => x.opcode === 1).length >= 4);
    const pa = wait(a);
    const pb = wait(b);
    f.sampler.emitTick(makeTick(Date.now()));
    f.sampler.emitSample(makeSample(Date.now(), 5));
    for (const got of [await pa, await pb]) {
      const events = got.frames.map((x) => (JSON.parse(x.payload.toString()) as { event?: string }).event);
      expect(events).toEqual(expect.arrayContaining(['tick', 'sample', 'history']));
    }
    a.destroy();
    b.destroy();
  });
});

// The renderer's API client and WebSocket transport against the real server (Node's `ws` stands in for the
// browser's WebSocket): typed calls, checked results, live events, refusals as ContractErrors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PortwatchClient } from '../../renderer/src/api/client.js';
import { WebSocketTransport } from '../../renderer/src/api/ws-transport.js';
import { isContractError, type MonitorEvent } from '../../electron/common/contract.js';
import { startFixture, type Fixture } from './serve-fixture.js';
import { makeSample, makeTick } from '../node/service/make-sample.js';

let f: Fixture;
let client: PortwatchClient;
beforeAll(async () => {
  f = await startFixture();
  const transport = new WebSocketTransport({ url: `ws://127.0.0.1:${f.port}/ws?token=${f.token}`, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
  client = new PortwatchClient(transport);
  await new Promise<void>((resolve) => client.onState((s) => s === 'open' && resolve()));
});
afterAll(async () => {
  client.close();
  await f.close();
});

describe('PortwatchClient over WebSocketTransport', () => {
  it('gets typed, checked answers', async () => {
    f.sampler.emitSample(makeSample(Date.now(), 42));
    const snap = await client.getSnapshot();
    expect(snap.sample?.worst?.inUse).toBe(42);
    const info = await client.getInfo();
    expect(info.contractVersion).toBe(1);
    const h = await client.getHistory({ windowSec: 300, buckets: 300 });
    expect(h.sample.fields[0]).toBe('ESTABLISHED');
  });

  it('turns a refusal into a ContractError carrying the culprit', async () => {
    const err = await client.getHistory({ windowSec: 1, buckets: 300 }).catch((e: unknown) => e);
    expect(isContractError(err)).toBe(true);
    expect((err as Error).message).toBe('request.params.windowSec: expected an integer in [60, 604800], got 1');
  });

  it('delivers live events, checked', async () => {
    const got: MonitorEvent[] = [];
    const off = client.onEvent((e) => got.push(e));
    f.sampler.emitTick(makeTick(Date.now(), 3));
    // Bounded, not a fixed sleep: on a loaded machine the events may take longer than a moment.
    for (const end = Date.now() + 10_000; !['tick', 'history'].every((k) => got.some((e) => e.event === k)) && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 25));
    }
    off();
    expect(got.map((e) => e.event)).toEqual(expect.arrayContaining(['tick', 'history']));
    expect(client.rejectedEvents).toBe(0);
  });
});

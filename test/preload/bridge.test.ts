import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isContractError, METHOD_NAMES } from '../../electron/common/contract.js';
import { createBridge, type IpcRendererLike } from '../../electron/preload/bridge.js';
import { EVENT_CHANNEL, IPC_PREFIX, REQUEST_CHANNELS } from '../../electron/common/ipc-channels.js';
import { BridgeTransport, findBridge } from '../../renderer/src/api/bridge-transport.js';

/** An ipcRenderer stand-in: invoke answers from a table; `emit` plays the main process sending an event. */
function fakeIpc(answer: (channel: string, args: unknown[]) => unknown) {
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  const invoked: [string, unknown[]][] = [];
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      invoked.push([channel, args]);
      return answer(channel, args);
    },
    on: (channel, l) => void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(l),
    removeListener: (channel, l) => void listeners.get(channel)?.delete(l),
  };
  return { ipc, invoked, emit: (channel: string, event: unknown, payload: unknown) => listeners.get(channel)?.forEach((l) => l(event, payload)), listeners };
}

describe('preload bridge', () => {
  it('exposes exactly the contract\'s methods and onEvent, nothing else', () => {
    const bridge = createBridge(fakeIpc(() => null).ipc);
    expect(Object.keys(bridge).sort()).toEqual([...METHOD_NAMES, 'onEvent'].sort());
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
    expect(Object.keys(REQUEST_CHANNELS).sort()).toEqual([...METHOD_NAMES].sort());
    expect(Object.values(REQUEST_CHANNELS).every((c) => c.startsWith(IPC_PREFIX))).toBe(true);
  });

  it('sends each method on its own channel with the parameters as the one argument, and returns the result', async () => {
    const f = fakeIpc((channel) => ({ id: 1, ok: true, result: { channel } }));
    const bridge = createBridge(f.ipc);
    expect(await bridge.getHistory({ windowSec: 300, buckets: 100 })).toEqual({ channel: 'portwatch:getHistory' });
    expect(f.invoked).toEqual([['portwatch:getHistory', [{ windowSec: 300, buckets: 100 }]]]);
  });

  it('rejects with a plain ContractError-shaped object (what survives contextBridge)', async () => {
    const bridge = createBridge(fakeIpc(() => ({ id: null, ok: false, error: { code: 'bad-request', message: 'request.params.buckets: required' } })).ipc);
    const err = await bridge.getInfo({}).catch((e: unknown) => e);
    expect(err).toEqual({ name: 'ContractError', code: 'bad-request', message: 'request.params.buckets: required' });
    expect(isContractError(err)).toBe(true);
    expect(Object.getPrototypeOf(err)).toBe(Object.prototype);
  });

  it('turns a failed invoke or a missing answer into "unavailable" / "internal"', async () => {
    const failing: IpcRendererLike = { invoke: async () => Promise.reject(new Error("No handler registered for 'portwatch:getInfo'")), on: () => undefined, removeListener: () => undefined };
    expect(await createBridge(failing).getInfo({}).catch((e: unknown) => e)).toMatchObject({ code: 'unavailable', message: expect.stringContaining('No handler') });
    expect(await createBridge(fakeIpc(() => undefined).ipc).getSnapshot({}).catch((e: unknown) => e)).toMatchObject({ code: 'internal' });
  });

  it('hands the page only the event payload, never the IPC event (which carries the sender), and unsubscribes', () => {
    const f = fakeIpc(() => null);
    const bridge = createBridge(f.ipc);
    const got: unknown[][] = [];
    const off = bridge.onEvent((...args: unknown[]) => got.push(args));
    f.emit(EVENT_CHANNEL, { sender: 'ipcRenderer' }, { event: 'tick', data: {} });
    expect(got).toEqual([[{ event: 'tick', data: {} }]]);
    off();
    f.emit(EVENT_CHANNEL, {}, { event: 'tick', data: {} });
    expect(got).toHaveLength(1);
    expect(f.listeners.get(EVENT_CHANNEL)?.size).toBe(0);
  });

  it('is what the renderer\'s bridge transport expects (window.portwatch)', async () => {
    const bridge = createBridge(fakeIpc(() => ({ id: 1, ok: true, result: 42 })).ipc);
    const found = findBridge({ portwatch: bridge } as unknown as Window);
    expect(found).toBe(bridge);
    expect(await new BridgeTransport(found!).request('getInfo', {})).toBe(42);
  });

  it('imports nothing but electron and its own channel list (a sandboxed preload can require only electron)', () => {
    const src = readFileSync(new URL('../../electron/preload/index.ts', import.meta.url), 'utf8') + readFileSync(new URL('../../electron/preload/bridge.ts', import.meta.url), 'utf8');
    const imports = [...src.matchAll(/^import (type )?.* from '([^']+)';$/gm)].map((m) => `${m[1] ?? ''}${m[2]}`);
    expect(imports.sort()).toEqual(['./bridge.js', '../common/ipc-channels.js', 'electron', 'type ../common/contract.js'].sort());
  });
});

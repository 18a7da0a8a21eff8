// The contract through the Electron preload bridge (`window.portwatch`): one function per method and one
// event subscription. The desktop app provides it; the client treats it like any other transport.
import type { MethodName, PortwatchBridge } from '../../../electron/common/contract.js';
import type { ConnectionState, Transport } from './transport.js';

/** A Transport over the preload bridge (always connected while the window lives). */
export class BridgeTransport implements Transport {
  constructor(private readonly bridge: PortwatchBridge) {}

  request(method: MethodName, params: unknown): Promise<unknown> {
    const fn = this.bridge[method] as (p: unknown) => Promise<unknown>;
    return fn(params);
  }

  onEvent(listener: (m: unknown) => void): () => void {
    return this.bridge.onEvent(listener);
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    listener('open');
    return () => {};
  }

  close(): void {}
}

/** The bridge the preload exposed, if this page runs in the desktop app. */
export function findBridge(w: Window): PortwatchBridge | null {
  const b = (w as unknown as { portwatch?: unknown }).portwatch;
  return typeof b === 'object' && b !== null && typeof (b as { onEvent?: unknown }).onEvent === 'function' ? (b as PortwatchBridge) : null;
}

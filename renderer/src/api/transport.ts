// How the API client reaches the monitor. Two implementations: a WebSocket (the headless server) and the
// Electron preload bridge (`window.portwatch`). The client does not know which one it has.
import type { MethodName } from '../../../electron/common/contract.js';

/** The connection's state as the UI shows it. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** A way to send requests and receive events; payloads are unchecked here (the client validates them). */
export interface Transport {
  /** Sends one request; resolves with the raw result or rejects with an Error (ContractError for refusals). */
  request(method: MethodName, params: unknown): Promise<unknown>;
  /** Calls listener with every raw event message; returns the unsubscribe function. */
  onEvent(listener: (message: unknown) => void): () => void;
  /** Calls listener on every state change (and once with the current state); returns the unsubscribe function. */
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

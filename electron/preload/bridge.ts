// The bridge the preload exposes as window.portwatch: one function per contract method and one event
// subscription, nothing else. The page never sees ipcRenderer, channel names or IPC event objects.
// Refusals come back as plain { name: 'ContractError', code, message } objects: contextBridge copies
// plain objects whole but strips custom fields from Error instances, and isContractError checks exactly
// name and code.
import type { MethodName, PortwatchBridge } from '../common/contract.js';
import { EVENT_CHANNEL, REQUEST_CHANNELS } from '../common/ipc-channels.js';

/** The part of ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** A refusal as the page receives it. */
export interface BridgeError {
  name: 'ContractError';
  code: string;
  message: string;
}

function bridgeError(code: string, message: string): BridgeError {
  return { name: 'ContractError', code, message };
}

/** Unwraps a ResponseMessage: its result, or a rejection with its error. */
function unwrap(method: MethodName, r: unknown): unknown {
  if (typeof r === 'object' && r !== null) {
    const m = r as { ok?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };
    if (m.ok === true) return m.result;
    if (m.ok === false) throw bridgeError(String(m.error?.code ?? 'internal'), String(m.error?.message ?? `${method} refused`));
  }
  throw bridgeError('internal', `${method}: the main process sent no answer`);
}

/** Builds the bridge over ipcRenderer. */
export function createBridge(ipc: IpcRendererLike): PortwatchBridge {
  const call =
    <M extends MethodName>(method: M) =>
    async (params: unknown): Promise<unknown> => {
      let r: unknown;
      try {
        r = await ipc.invoke(REQUEST_CHANNELS[method], params);
      } catch (err) {
        // invoke rejects when the main process has no handler or the params cannot be cloned.
        throw bridgeError('unavailable', `${method}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500));
      }
      return unwrap(method, r);
    };
  return {
    getInfo: call('getInfo'),
    getSnapshot: call('getSnapshot'),
    getHistory: call('getHistory'),
    getEvents: call('getEvents'),
    getEpisodes: call('getEpisodes'),
    getConnections: call('getConnections'),
    getNamespaces: call('getNamespaces'),
    getHosts: call('getHosts'),
    getTuningPlan: call('getTuningPlan'),
    startHostLogin: call('startHostLogin'),
    writeHostLogin: call('writeHostLogin'),
    resizeHostLogin: call('resizeHostLogin'),
    cancelHostLogin: call('cancelHostLogin'),
    reviewTuning: call('reviewTuning'),
    getTuningStatus: call('getTuningStatus'),
    applyTuning: call('applyTuning'),
    writeTuningTerminal: call('writeTuningTerminal'),
    resizeTuningTerminal: call('resizeTuningTerminal'),
    keepTuning: call('keepTuning'),
    revertTuning: call('revertTuning'),
    onEvent(listener: (event: unknown) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
      // The IPC event object (which carries the sender) never reaches the page: only the payload does.
      const handler = (_event: unknown, payload: unknown): void => listener(payload);
      ipc.on(EVENT_CHANNEL, handler);
      return () => void ipc.removeListener(EVENT_CHANNEL, handler);
    },
  };
}

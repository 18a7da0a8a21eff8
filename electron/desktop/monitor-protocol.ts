// The messages between the desktop app's main process and the monitor when it runs in a utility process.
// Requests have already passed the IPC chokepoint; the host still checks the shape of every message, and
// the contract's own validation runs again inside the monitor service.
import type { MonitorEvent, RequestMessage, ResponseMessage } from '../common/contract.js';
import type { MonitorConfig } from './monitor-config.js';

/** From the main process to the monitor host. */
export type ToHost =
  | { type: 'start'; config: MonitorConfig; version: string }
  | { type: 'request'; ref: number; message: RequestMessage; mayChange?: boolean }
  | { type: 'pause'; reason: string }
  | { type: 'resume' }
  | { type: 'configure'; config: MonitorConfig }
  | { type: 'close' };

/** From the monitor host to the main process. */
export type FromHost =
  | { type: 'ready' }
  | { type: 'response'; ref: number; response: ResponseMessage }
  | { type: 'event'; event: MonitorEvent }
  | { type: 'closed' }
  | { type: 'failed'; error: string };

/** One end of a message channel (Electron's parentPort/UtilityProcess, or Node's process IPC in tests). */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRef = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The message as a ToHost, or null when it is not one. */
export function asToHost(m: unknown): ToHost | null {
  if (!isObj(m) || typeof m.type !== 'string') return null;
  switch (m.type) {
    case 'start':
      return isObj(m.config) && typeof m.version === 'string' ? (m as ToHost) : null;
    case 'request':
      return isRef(m.ref) && isObj(m.message) && (m.mayChange === undefined || typeof m.mayChange === 'boolean') ? (m as ToHost) : null;
    case 'pause':
      return typeof m.reason === 'string' ? (m as ToHost) : null;
    case 'configure':
      return isObj(m.config) ? (m as ToHost) : null;
    case 'resume':
    case 'close':
      return m as ToHost;
    default:
      return null;
  }
}

/** The message as a FromHost, or null when it is not one. */
export function asFromHost(m: unknown): FromHost | null {
  if (!isObj(m) || typeof m.type !== 'string') return null;
  switch (m.type) {
    case 'response':
      return isRef(m.ref) && isObj(m.response) ? (m as FromHost) : null;
    case 'event':
      return isObj(m.event) && typeof m.event.event === 'string' ? (m as FromHost) : null;
    case 'failed':
      return typeof m.error === 'string' ? (m as FromHost) : null;
    case 'ready':
    case 'closed':
      return m as FromHost;
    default:
      return null;
  }
}

// The renderer's one API client: typed methods from the contract, every answer and event checked against
// the contract's schemas before the UI sees it (a transport could hand over anything).
import {
  ContractError,
  EVENT_SCHEMAS,
  RESULT_SCHEMAS,
  type EventName,
  type Events,
  type MethodName,
  type MonitorEvent,
  type Params,
  type Result,
} from '../../../electron/common/contract.js';
import { validate, type Schema } from '../../../electron/common/schema.js';
import type { ConnectionState, Transport } from './transport.js';

/** Typed access to the monitor, whatever the transport. */
export class PortwatchClient {
  /** Events that failed their schema (counted, then dropped). */
  rejectedEvents = 0;
  lastRejection = '';

  constructor(private readonly transport: Transport) {}

  /** Sends a request and returns its checked result. */
  async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const raw = await this.transport.request(method, params);
    const v = validate(RESULT_SCHEMAS[method] as Schema<Result<M>>, raw, `${method} result`);
    if (!v.ok) throw new ContractError('bad-request', v.error);
    return v.value;
  }

  getInfo = () => this.call('getInfo', {});
  getSnapshot = () => this.call('getSnapshot', {});
  getHistory = (p: Params<'getHistory'>) => this.call('getHistory', p);
  getEvents = (p: Params<'getEvents'> = {}) => this.call('getEvents', p);
  getEpisodes = (p: Params<'getEpisodes'> = {}) => this.call('getEpisodes', p);
  getConnections = (p: Params<'getConnections'>) => this.call('getConnections', p);
  getNamespaces = () => this.call('getNamespaces', {});
  getHosts = () => this.call('getHosts', {});

  /** Calls listener with every checked event; returns the unsubscribe function. */
  onEvent(listener: (e: MonitorEvent) => void): () => void {
    return this.transport.onEvent((m) => {
      const e = m as { event?: unknown; data?: unknown };
      const name = e.event as EventName;
      if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(EVENT_SCHEMAS, name)) return this.reject(`unknown event ${String(name).slice(0, 40)}`);
      const v = validate(EVENT_SCHEMAS[name] as Schema<Events[typeof name]>, e.data, `${name} event`);
      if (!v.ok) return this.reject(v.error);
      listener({ event: name, data: v.value } as MonitorEvent);
    });
  }

  /** Calls listener with connection state changes. */
  onState(listener: (s: ConnectionState) => void): () => void {
    return this.transport.onState(listener);
  }

  close(): void {
    this.transport.close();
  }

  private reject(why: string): void {
    this.rejectedEvents++;
    this.lastRejection = why;
    console.warn(`Portwatch: dropped an event: ${why}`);
  }
}

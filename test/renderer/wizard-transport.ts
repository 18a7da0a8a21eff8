// The contract in-process for the wizard's component tests: a Transport over a real MonitorService (with
// the tuning host over a test machine), carrying requests with the context a transport vouches for and
// events as JSON, like the WebSocket does.
import { ContractError, type MethodName, type MonitorEndpoint, type RequestContext } from '../../electron/common/contract.js';
import type { ConnectionState, Transport } from '../../renderer/src/api/transport.js';

/** A transport straight into a monitor endpoint. */
export class ServiceTransport implements Transport {
  private id = 0;
  constructor(
    private readonly endpoint: MonitorEndpoint,
    private readonly context: RequestContext,
  ) {}

  async request(method: MethodName, params: unknown): Promise<unknown> {
    const r = await this.endpoint.handle(JSON.parse(JSON.stringify({ id: ++this.id, method, params })), this.context);
    if (r.ok) return JSON.parse(JSON.stringify(r.result)) as unknown;
    throw new ContractError(r.error.code, r.error.message);
  }

  onEvent(listener: (m: unknown) => void): () => void {
    return this.endpoint.subscribe((e) => listener(JSON.parse(JSON.stringify(e))));
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    listener('open');
    return () => {};
  }

  close(): void {}
}

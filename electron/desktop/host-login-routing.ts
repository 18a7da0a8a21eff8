// The window's login requests, for the host its page shows (scope N ≥ 1 of the host list): the IPC
// chokepoint hands them here with their params checked. Electron-free.
import { ContractError } from '../common/contract.js';
import type { HostLoginMethods } from '../common/host-login.js';
import type { HostMonitors } from './host-monitors.js';
import { hostOfScope } from './host-scope.js';

/** Answers a login method for the host of `scope` through the host monitors' logins. */
export async function answerHostLogin<M extends keyof HostLoginMethods>(h: HostMonitors, scope: number, method: M, params: HostLoginMethods[M]['params']): Promise<HostLoginMethods[M]['result']> {
  const host = hostOfScope(scope, h.readings())?.label;
  if (!host) throw new ContractError('unavailable', `host ${scope} is not in the host list (any more): choose another host`);
  const p = params as Partial<HostLoginMethods['resizeHostLogin']['params'] & HostLoginMethods['writeHostLogin']['params']>;
  const answers: { [K in keyof HostLoginMethods]: () => Promise<HostLoginMethods[K]['result']> | HostLoginMethods[K]['result'] } = {
    startHostLogin: () => h.logins.start(host),
    writeHostLogin: () => h.logins.write(host, p.loginId!, p.data!),
    resizeHostLogin: () => h.logins.resize(host, p.loginId!, p.cols!, p.rows!),
    cancelHostLogin: () => h.logins.cancel(host, p.loginId!),
  };
  return (await answers[method]()) as HostLoginMethods[M]['result'];
}

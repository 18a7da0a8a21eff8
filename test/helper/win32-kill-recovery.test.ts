// Windows: a SIGKILL at every step of every transaction path (darwin-win32-kill-steps.ts), with a plan
// that writes all three keys (IPv4, IPv6, TcpTimedWaitDelay) so that every live step is reached; Windows
// stores the values itself, so there is no persistence step. With TcpTimedWaitDelay unset and set before.
import type { HelperPlanDocument } from '../../electron/common/tuning.js';
import { describeKillRecovery } from './darwin-win32-kill-steps.js';
import { CAPTURED_WINDOWS, type WindowsValues } from './win32-fake-system.js';

const PLAN: HelperPlanDocument = {
  kind: 'portwatch-helper-plan',
  schema: 1,
  settings: [
    { key: 'win32.ipv4.dynamicport.tcp', start: 32768, num: 32768 },
    { key: 'win32.ipv6.dynamicport.tcp', start: 32768, num: 32768 },
    { key: 'win32.tcpip.TcpTimedWaitDelay', value: 60 },
  ],
  confirmTimeoutSec: 60,
};

describeKillRecovery<WindowsValues>({
  platform: 'win32',
  plan: PLAN,
  variants: [
    { label: 'TcpTimedWaitDelay not set', values: CAPTURED_WINDOWS, persisted: null },
    { label: 'TcpTimedWaitDelay set to 240 s', values: { ...CAPTURED_WINDOWS, timedWaitDelay: 240 }, persisted: null },
  ],
  after: (v) => ({ ...v, ipv4: { start: 32768, num: 32768 }, ipv6: { start: 32768, num: 32768 }, timedWaitDelay: 60 }),
  persistedAfter: () => null,
  persistencePath: null,
});

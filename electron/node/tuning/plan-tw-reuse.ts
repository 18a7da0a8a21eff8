// Whether to propose net.ipv4.tcp_tw_reuse: only for outgoing connections that leave TIME-WAIT behind,
// only with tcp_timestamps on (reuse needs them), 1 when some destination is not loopback (2, the
// default, covers loopback only). tcp_tw_recycle is never proposed: it was removed in Linux 4.12.
import type { KernelSettings, PlatformName } from '../../common/model.js';
import type { PlanSample } from './plan-input.js';
import { isLoopbackAddress } from './what-if.js';

/** The proposal: a value or none, and notes on what is not proposed. */
export interface TwReuseProposal {
  value: 1 | 2 | null;
  why: string;
  notes: string[];
}

/** Proposes tcp_tw_reuse from the outgoing TIME-WAIT the sample shows. */
export function proposeTwReuse(platform: PlatformName, kernel: KernelSettings, sample: PlanSample | null, opts: { noTwReuse?: boolean; force?: boolean }): TwReuseProposal {
  const none = (notes: string[] = []): TwReuseProposal => ({ value: null, why: '', notes });
  if (platform !== 'linux' || opts.noTwReuse || !sample) return none();
  const churning = sample.destinations.filter((d) => (d.states['TIME-WAIT'] ?? 0) > 0);
  const churnDiagnosed = sample.diagnoses.some((d) => d.id === 'time-wait-churn');
  const pressure = sample.severity === 'warning' || sample.severity === 'critical' || sample.severity === 'exhausted';
  if (!churning.length || !(churnDiagnosed || pressure || opts.force)) return none();
  const remote = churning.filter((d) => !(isLoopbackAddress(d.localAddress) || isLoopbackAddress(d.remoteAddress)));
  const bindNote = sample.diagnoses.some((d) => d.id === 'bind-before-connect')
    ? ['TIME-WAIT reuse only helps plain connect(): ports taken by bind() before connect() stay taken; see IP_BIND_ADDRESS_NO_PORT above.']
    : [];
  if (kernel.twReuse === null) return none(['net.ipv4.tcp_tw_reuse could not be read, so it is left alone.']);
  if (kernel.timestamps === 0) {
    return none([
      'TIME-WAIT reuse (net.ipv4.tcp_tw_reuse) is not proposed: it needs TCP timestamps, and net.ipv4.tcp_timestamps is 0 here. Portwatch does not change tcp_timestamps.',
    ]);
  }
  if (kernel.timestamps === null) return none(['net.ipv4.tcp_timestamps could not be read; TIME-WAIT reuse needs it, so tcp_tw_reuse is left alone.']);
  if (kernel.twReuse === 1) return none(bindNote);
  if (remote.length) {
    const d = remote[0]!;
    return {
      value: 1,
      why:
        `Outgoing connections to ${d.remoteAddress}:${d.remotePort}${remote.length > 1 ? ` and ${remote.length - 1} more destinations` : ''} leave TIME-WAIT sockets that hold their ports for ${kernel.timeWaitSec || 60} s. ` +
        `With tcp_tw_reuse = 1 a new outgoing connection may take such a port again once it has been in TIME-WAIT for ${kernel.twReuseDelayMs !== null ? `tcp_tw_reuse_delay (${kernel.twReuseDelayMs} ms here)` : 'about 1 s (this kernel has no tcp_tw_reuse_delay)'}. ` +
        `The current value ${kernel.twReuse} ${kernel.twReuse === 2 ? 'covers loopback only' : 'turns reuse off'}.`,
      notes: bindNote,
    };
  }
  if (kernel.twReuse === 0) {
    return {
      value: 2,
      why: 'Loopback connections leave TIME-WAIT sockets and tcp_tw_reuse is off; 2 (the kernel default) lets new loopback connections reuse them.',
      notes: bindNote,
    };
  }
  return none(['TIME-WAIT reuse already applies to these loopback connections (tcp_tw_reuse = 2, timestamps on).', ...bindNote]);
}

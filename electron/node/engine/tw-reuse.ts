// When a TIME-WAIT 4-tuple can be taken again by a new outgoing connection, and so how long a closed
// connection holds its port toward one destination (docs/domain.md "Rate, not count").
import type { KernelSettings } from '../../common/model.js';
import { isLoopbackAddress } from './address.js';

/** The reuse delay when the kernel has no tcp_tw_reuse_delay (older kernels: about one second). */
export const DEFAULT_TW_REUSE_DELAY_MS = 1000;

/**
 * Whether net.ipv4.tcp_tw_reuse lets new outgoing connections toward this destination reuse TIME-WAIT
 * 4-tuples: it needs tcp_timestamps on, and tw_reuse 1, or 2 (the default) with a loopback address.
 * Like the kernel (tcp_twsk_unique), 2 counts a connection as loopback when its source or its
 * destination is. An unreadable setting is not assumed to be on.
 */
export function twReuseApplies(kernel: KernelSettings, loopback: boolean): boolean {
  if (kernel.timestamps === null || kernel.timestamps === 0) return false;
  return kernel.twReuse === 1 || (kernel.twReuse === 2 && loopback);
}

/** Milliseconds a TIME-WAIT socket must age before reuse may take it. */
export function twReuseDelayMs(kernel: KernelSettings): number {
  const d = kernel.twReuseDelayMs;
  return d !== null && Number.isFinite(d) && d > 0 ? d : DEFAULT_TW_REUSE_DELAY_MS;
}

/** Seconds a closed connection keeps its port toward one destination: the TIME-WAIT length, or the reuse delay when reuse applies. */
export function holdSeconds(kernel: KernelSettings, reuse: boolean): number {
  if (reuse) return twReuseDelayMs(kernel) / 1000;
  return kernel.timeWaitSec > 0 && Number.isFinite(kernel.timeWaitSec) ? kernel.timeWaitSec : 60;
}

/**
 * Whether reuse toward a destination also rests on its peer: tcp_twsk_unique takes a TIME-WAIT only when
 * that connection used TCP timestamps, so the peer must echo them, and the socket table does not say
 * whether it did. A loopback peer is this namespace's own stack, with the same tcp_timestamps: certain.
 */
export function reuseRestsOnPeerTimestamps(localAddress: string, remoteAddress: string): boolean {
  return !(isLoopbackAddress(localAddress) || isLoopbackAddress(remoteAddress));
}

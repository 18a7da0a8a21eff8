// Recommendations shared by several diagnoses. Cure first (the application), relief after (the kernel).
// Every sentence here must agree with docs/domain.md "Myths a tool must not repeat".
import type { KernelSettings, PlatformName, Recommendation } from '../../common/model.js';
import { formatCount, formatRate } from './format.js';
import { DEFAULT_TW_REUSE_DELAY_MS } from './tw-reuse.js';

/** The cure for churn: reuse connections instead of opening one per request. */
export function connectionReuseRecommendation(): Recommendation {
  return {
    kind: 'application',
    text:
      'Reuse connections instead of opening one per request: HTTP keep-alive in clients, upstream keepalive pools in proxies ' +
      '(nginx "keepalive" in the upstream block with proxy_http_version 1.1, HAProxy "http-reuse", Envoy connection pools), ' +
      'and a connection pool in database and HTTP client libraries.',
  };
}

/** More source addresses: each one has its own set of ports toward a destination. */
export function moreSourceAddressesRecommendation(usable: number | null): Recommendation {
  const each = usable !== null ? ` (${formatCount(usable)} ports each)` : '';
  return {
    kind: 'application',
    text:
      `Spread outgoing connections over more source IP addresses${each}, or over more destination addresses or ports: ` +
      'the limit is per (source address, destination address, destination port).',
  };
}

/** Names processes for an "investigate" recommendation, or null when none is known. */
export function ownersRecommendation(owners: readonly { pid: number; name: string; sockets: number }[], what: string): Recommendation | null {
  if (!owners.length) return null;
  const list = owners
    .slice(0, 5)
    .map((o) => `${o.name || 'unknown'} (pid ${o.pid}): ${formatCount(o.sockets)}`)
    .join(', ');
  return { kind: 'investigate', text: `${what}: ${list}.` };
}

/**
 * tcp_tw_reuse relief for outgoing connections (Linux only): set it to 1 (2, the default, covers
 * loopback only), and turn timestamps on when they are off, since reuse needs them.
 */
export function twReuseRecommendations(platform: PlatformName, kernel: KernelSettings, usable: number | null): Recommendation[] {
  if (platform !== 'linux') return [];
  const out: Recommendation[] = [];
  const delayMs = kernel.twReuseDelayMs;
  const delay =
    delayMs !== null
      ? `a TIME-WAIT port becomes reusable after net.ipv4.tcp_tw_reuse_delay = ${delayMs} ms`
      : `this kernel has no tcp_tw_reuse_delay, so a TIME-WAIT port becomes reusable about ${DEFAULT_TW_REUSE_DELAY_MS / 1000} s after the connection closed`;
  const sustain = usable !== null ? `, so one destination sustains about ${formatRate(usable / ((delayMs ?? DEFAULT_TW_REUSE_DELAY_MS) / 1000))} instead of ${formatRate(usable / (kernel.timeWaitSec || 60))}` : '';
  if (kernel.twReuse !== 1) {
    const now = kernel.twReuse === 2 ? ' (currently 2: loopback only)' : kernel.twReuse === 0 ? ' (currently 0: off)' : '';
    out.push({
      kind: 'kernel',
      text:
        `Let new outgoing connections reuse TIME-WAIT ports: net.ipv4.tcp_tw_reuse = 1${now}. It only applies to outgoing connections ` +
        `and needs net.ipv4.tcp_timestamps on; ${delay}${sustain}.`,
      setting: { key: 'net.ipv4.tcp_tw_reuse', current: kernel.twReuse === null ? null : String(kernel.twReuse), suggested: '1' },
    });
  }
  if (kernel.timestamps === 0) {
    out.push({
      kind: 'kernel',
      text: 'TIME-WAIT reuse needs TCP timestamps, which are off: net.ipv4.tcp_timestamps = 1.',
      setting: { key: 'net.ipv4.tcp_timestamps', current: '0', suggested: '1' },
    });
  }
  return out;
}

/** Windows relief: a shorter TcpTimedWaitDelay (30–300 s, needs a reboot). */
export function timedWaitDelayRecommendation(platform: PlatformName, kernel: KernelSettings): Recommendation | null {
  if (platform !== 'win32' || !(kernel.timeWaitSec > 30)) return null;
  return {
    kind: 'kernel',
    text:
      `Shorten TIME-WAIT from ${kernel.timeWaitSec} s to 30 s with the registry value TcpTimedWaitDelay ` +
      '(HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters, 30–300 s; takes effect after a reboot).',
    setting: {
      key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\TcpTimedWaitDelay',
      current: String(kernel.timeWaitSec),
      suggested: '30',
    },
  };
}

/** The tcp_fin_timeout myth, stated the right way round (Linux only). */
export function finTimeoutNote(platform: PlatformName): Recommendation | null {
  if (platform !== 'linux') return null;
  return {
    kind: 'investigate',
    text:
      'Leave net.ipv4.tcp_fin_timeout alone for this: it does not shorten TIME-WAIT (60 s, fixed in the kernel); ' +
      'it only bounds orphaned FIN-WAIT-2 sockets.',
  };
}

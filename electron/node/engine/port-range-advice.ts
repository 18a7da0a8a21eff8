// A wider ephemeral range that respects the guard rails (docs/domain.md "Guard rails for changes"):
// never below ip_unprivileged_port_start; not below 32768, and never across a port something listens
// on, so a service's port is not handed to an outgoing connection; ends of different parity (Linux
// warns otherwise); listeners that end up inside the new range reserved in the same change.
import type { KernelSettings, PlatformName, PortRange, Recommendation } from '../../common/model.js';
import { formatPortList, mergeRanges } from './capacity.js';
import { formatCount } from './format.js';

/** The lowest low end suggested without reserving listeners (docs/domain.md guard rail). */
export const SAFE_LOW_END = 32768;

/** A suggested Linux range and the listening ports to reserve with it. */
export interface RangeSuggestion {
  low: number;
  high: number;
  /** Ports held by listening/bound sockets that would fall inside the new range, not yet reserved. */
  reserve: number[];
}

/**
 * A wider Linux range: the high end to 65535, the low end down to 32768 (never below
 * ip_unprivileged_port_start) but not across a held port, ends of different parity.
 * Null when no wider range passes the guard rails. heldPorts: ports with a listening or bound socket.
 */
export function suggestLinuxPortRange(
  range: PortRange,
  unprivilegedPortStart: number | null,
  reserved: readonly PortRange[] | null,
  heldPorts: readonly number[],
): RangeSuggestion | null {
  const isReserved = reservedTest(reserved);
  const floor = Math.max(SAFE_LOW_END, unprivilegedPortStart ?? 1024);
  let high = Math.max(range.high, 65535);
  // The kernel refuses a low end below ip_unprivileged_port_start, even one that is already in place.
  let low = Math.max(range.low, unprivilegedPortStart ?? 0);
  if (range.low > floor) {
    low = floor;
    for (const p of heldPorts) if (p >= floor && p < range.low && !isReserved(p)) low = Math.max(low, p + 1);
  }
  if (low % 2 === high % 2) {
    if (low < range.low) low++;
    else if (high > range.high) high--;
  }
  if (low % 2 === high % 2 || high - low <= range.high - range.low) return null;
  const reserve = heldPorts.filter((p) => ((p > range.high && p <= high) || (p >= low && p < range.low)) && !isReserved(p));
  return { low, high, reserve };
}

/** A wider macOS range (portrange.first/last), or null. */
export function suggestDarwinPortRange(range: PortRange, heldPorts: readonly number[]): PortRange | null {
  let low = range.low;
  if (range.low > SAFE_LOW_END) {
    low = SAFE_LOW_END;
    for (const p of heldPorts) if (p >= SAFE_LOW_END && p < range.low) low = Math.max(low, p + 1);
  }
  const high = 65535;
  return low < range.low || high > range.high ? { low, high } : null;
}

/** Kernel recommendations that widen the ephemeral range on this platform (empty when nothing safe is wider). */
export function widenRangeRecommendations(platform: PlatformName, kernel: KernelSettings, heldPorts: readonly number[]): Recommendation[] {
  const range = kernel.portRange;
  if (!range) return [];
  const size = (r: PortRange) => r.high - r.low + 1;
  const relief = 'relief, not a cure: it raises the ceiling, the connection churn stays';

  if (platform === 'linux') {
    const s = suggestLinuxPortRange(range, kernel.unprivilegedPortStart, kernel.reservedPorts, heldPorts);
    if (!s) return [];
    const out: Recommendation[] = [
      {
        kind: 'kernel',
        text:
          `Widen net.ipv4.ip_local_port_range from ${range.low}–${range.high} (${formatCount(size(range))} ports) to ${s.low}–${s.high} ` +
          `(${formatCount(size(s))} ports) — ${relief}. Persist it in a drop-in file under /etc/sysctl.d/ and read the value back.`,
        setting: { key: 'net.ipv4.ip_local_port_range', current: `${range.low} ${range.high}`, suggested: `${s.low} ${s.high}` },
      },
    ];
    if (s.reserve.length) {
      const merged = mergeRanges([...(kernel.reservedPorts ?? []), ...s.reserve.map((p) => ({ low: p, high: p }))]);
      out.push({
        kind: 'kernel',
        text:
          `In the same change, reserve the ports that services listen on inside the new range (${listPorts(s.reserve)}), so that no outgoing ` +
          `connection takes them. Writing net.ipv4.ip_local_reserved_ports replaces the whole list: the suggestion keeps the current entries.`,
        setting: {
          key: 'net.ipv4.ip_local_reserved_ports',
          current: kernel.reservedPorts ? formatPortList(kernel.reservedPorts) : null,
          suggested: formatPortList(merged),
        },
      });
    }
    return out;
  }

  if (platform === 'darwin') {
    const s = suggestDarwinPortRange(range, heldPorts);
    if (!s) return [];
    const note = `macOS silently clamps these values into 1024–65535 and does not check first ≤ last: read them back`;
    const out: Recommendation[] = [];
    if (s.low < range.low) {
      out.push({
        kind: 'kernel',
        text: `Lower net.inet.ip.portrange.first from ${range.low} to ${s.low} (${formatCount(size(s))} ports in all) — ${relief}; ${note}.`,
        setting: { key: 'net.inet.ip.portrange.first', current: String(range.low), suggested: String(s.low) },
      });
    }
    if (s.high > range.high) {
      out.push({
        kind: 'kernel',
        text: `Raise net.inet.ip.portrange.last from ${range.high} to ${s.high} — ${relief}; ${note}.`,
        setting: { key: 'net.inet.ip.portrange.last', current: String(range.high), suggested: String(s.high) },
      });
    }
    return out;
  }

  // Windows: netsh int ipv4 set dynamicport tcp start=N num=M (N ≥ 1025, M ≥ 255, N+M−1 ≤ 65535).
  const s = suggestDarwinPortRange(range, heldPorts);
  if (!s || s.low < 1025) return [];
  const num = s.high - s.low + 1;
  return [
    {
      kind: 'kernel',
      text:
        `Widen the dynamic port range from ${range.low}–${range.high} to ${s.low}–${s.high}: netsh int ipv4 set dynamicport tcp start=${s.low} num=${num} ` +
        `(and the same for ipv6, which is set separately) — ${relief}. Hyper-V, WSL and WinNAT may exclude blocks inside it: check netsh int ipv4 show excludedportrange protocol=tcp.`,
      setting: { key: 'netsh int ipv4 set dynamicport tcp', current: `start=${range.low} num=${size(range)}`, suggested: `start=${s.low} num=${num}` },
    },
  ];
}

function reservedTest(reserved: readonly PortRange[] | null): (p: number) => boolean {
  const merged = mergeRanges(reserved ?? []);
  return (p) => merged.some((r) => p >= r.low && p <= r.high);
}

function listPorts(ports: readonly number[]): string {
  const shown = ports.slice(0, 8).join(', ');
  return ports.length > 8 ? `${shown} and ${ports.length - 8} more` : shown;
}

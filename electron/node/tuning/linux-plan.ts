// The Linux proposals: which of ip_local_reserved_ports, ip_local_port_range and tcp_tw_reuse to change
// and why, in the order the helper writes them (reserved ports before the range is widened). The guard
// rails live in plan-range.ts and plan-tw-reuse.ts; the helper checks them again.
import type { PortRange } from '../../common/model.js';
import { formatReservedPorts, inRanges, mergePortRanges, type HelperSetting } from '../../common/tuning.js';
import { LINUX_MYTHS } from './plan-advice.js';
import { count, portList } from './plan-format.js';
import type { PlanInput } from './plan-input.js';
import { proposeRange } from './plan-range.js';
import type { PlatformProposal, ProposedStep } from './plan-steps.js';
import { proposeTwReuse } from './plan-tw-reuse.js';

/** What Linux proposes (see the file comment); `wanted` is false when nothing calls for relief. */
export function proposeLinux(input: PlanInput, wanted: boolean): PlatformProposal {
  const { kernel, sample, options, platform } = input;
  const warnings: string[] = [];
  const notProposed: string[] = [...LINUX_MYTHS];
  if (options.timeWaitSec !== undefined) notProposed.push(`TIME-WAIT cannot be shortened to ${options.timeWaitSec} s on Linux: it lasts 60 s, fixed in the kernel; TIME-WAIT reuse (tcp_tw_reuse) is the Linux way.`);

  const range = proposeRange(kernel, input.listeningPorts, { ...(options.range ? { range: options.range } : {}), ...(options.reserve ? { reserve: options.reserve } : {}) }, wanted);
  warnings.push(...range.warnings);
  notProposed.push(...range.refusals);
  const reserveOnly = range.range === null && range.reserved === null ? reserveInsideCurrent(kernel.portRange, kernel.reservedPorts, options.reserve ?? []) : null;
  const tw = proposeTwReuse(platform, kernel, sample, options);
  notProposed.push(...tw.notes);

  const steps: ProposedStep[] = [];
  const newReserved = range.reserved ?? reserveOnly?.reserved ?? null;
  const added = range.reserved ? range.reservedAdded : (reserveOnly?.added ?? []);
  if (newReserved) {
    const currentText = kernel.reservedPorts ? formatReservedPorts(kernel.reservedPorts) : null;
    steps.push(
      step(
        'reserve-listeners',
        `Reserve port${added.length > 1 ? 's' : ''} ${portList(added)}`,
        { key: 'net.ipv4.ip_local_reserved_ports', ranges: newReserved },
        currentText,
        range.range
          ? `Services listen on ${portList(added)} inside the wider range${range.range.low < 32768 ? '' : ' (in the part it newly covers)'}: reserved, connect() never hands these ports to an outgoing connection, so the service keeps its port when it restarts. Written before the range is widened.`
          : `You asked to reserve ${portList(added)}: connect() will never hand these ports to an outgoing connection.`,
        [
          'A reserved port is skipped by connect() and by bind() to port 0; a service can still bind it explicitly.',
          `Writing the list replaces it, so the plan keeps every current entry${currentText ? ` (${currentText})` : ''} and adds ${portList(added)}.`,
        ],
        (state) => ({ ...state, reserved: newReserved }),
      ),
    );
  }
  if (range.range && kernel.portRange) {
    const cur = kernel.portRange;
    const r = range.range;
    const added = (r.high - r.low + 1) - (cur.high - cur.low + 1);
    steps.push(
      step(
        'widen-range',
        `Widen the ephemeral range from ${cur.low}–${cur.high} to ${r.low}–${r.high}`,
        { key: 'net.ipv4.ip_local_port_range', low: r.low, high: r.high },
        `${cur.low}\t${cur.high}`,
        `${count(added)} more ports for outgoing connections toward every destination. Relief, not a cure: the connections that fill the range keep coming; the application fixes above remove the cause.`,
        [
          `Ports ${newPartsText(cur, r)} become ephemeral: a service configured to listen there but not running now could find its port taken by an outgoing connection when it starts. Portwatch reserves the ports listening now; name others with --reserve.`,
          'Firewalls, NAT rules or security groups that allow return traffic only to the old range must allow the new one.',
        ],
        (state) => ({ ...state, range: r }),
      ),
    );
  }
  if (tw.value !== null) {
    const value = tw.value;
    steps.push(
      step(
        'tw-reuse',
        `Let outgoing connections reuse TIME-WAIT ports (tcp_tw_reuse ${kernel.twReuse} → ${tw.value})`,
        { key: 'net.ipv4.tcp_tw_reuse', value: tw.value },
        kernel.twReuse === null ? null : String(kernel.twReuse),
        tw.why,
        [
          'It applies to outgoing connections only, and only where the peer echoes TCP timestamps (a middlebox that strips them leaves ports held for the full TIME-WAIT).',
          'The kernel documentation advises changing tcp_tw_reuse only on expert advice: reuse relies on timestamps (PAWS) to reject old segments of the previous connection.',
          ...(tw.value === 1 ? ['It applies to every outgoing connection of this network namespace, not only loopback.'] : []),
        ],
        (state) => ({ ...state, twReuse: value }),
      ),
    );
  }
  return { steps, warnings, notProposed };
}

function step(id: string, title: string, setting: HelperSetting, current: string | null, why: string, risks: string[], next: ProposedStep['next']): ProposedStep {
  return { id, title, setting, current, why, risks, next };
}

/** Ports the user asked to reserve inside the current range (when the range itself does not change). */
function reserveInsideCurrent(range: PortRange | null, reserved: PortRange[] | null, asked: readonly number[]): { reserved: PortRange[]; added: number[] } | null {
  if (!range || reserved === null) return null;
  const added = [...new Set(asked)].filter((p) => p >= range.low && p <= range.high && !inRanges(reserved, p)).sort((a, b) => a - b);
  return added.length ? { reserved: mergePortRanges([...reserved, ...added.map((p) => ({ low: p, high: p }))]), added } : null;
}

function newPartsText(cur: PortRange, r: PortRange): string {
  const parts: string[] = [];
  if (r.low < cur.low) parts.push(`${r.low}–${cur.low - 1}`);
  if (r.high > cur.high) parts.push(`${cur.high + 1}–${r.high}`);
  return parts.join(' and ');
}

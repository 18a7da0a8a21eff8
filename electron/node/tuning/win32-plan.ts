// The Windows part of a plan: a wider TCP dynamic port range for IPv4 and IPv6 within Windows' limits
// (start ≥ 1025, at least 255 ports, end ≤ 65535; only wider; never over a port a service listens on that
// no exclusion protects), a warning for the excluded ranges (Hyper-V, WSL, WinNAT) inside the new range,
// which move on reboot, and, only when asked, a shorter TIME-WAIT through TcpTimedWaitDelay (30–300 s,
// read at boot: after a reboot). netsh stores the range itself, so nothing else is persisted. Pure.
import type { PortRange } from '../../common/model.js';
import { TCP_TIMED_WAIT_DELAY_BOUNDS, WIN32_DYNAMIC_PORT_BOUNDS, mergePortRanges, type HelperSetting } from '../../common/tuning.js';
import { WIN32_DEFAULT_TIME_WAIT_SEC } from '../../common/parse/win32-registry.js';
import { count, seconds } from './plan-format.js';
import { heldPortsOf, type PlanInput } from './plan-input.js';
import { proposeUnreservedRange } from './plan-range-unreserved.js';
import type { PlatformProposal, ProposedStep } from './plan-steps.js';
import type { Win32TuningFacts } from './win32-facts.js';

const V4 = 'win32.ipv4.dynamicport.tcp';
const V6 = 'win32.ipv6.dynamicport.tcp';
const TWD = 'win32.tcpip.TcpTimedWaitDelay';

/** What is not proposed on Windows, and why. */
export const WIN32_NOT_PROPOSED: readonly string[] = [
  'TcpTimedWaitDelay: not proposed unless you ask (--time-wait SECONDS). It sets TIME-WAIT for every TCP connection of this machine, takes effect only after a reboot, and shortening it lets a delayed segment of an old connection be taken for part of a new one between the same addresses and ports. Reusing connections removes the TIME-WAIT sockets instead.',
  'Excluded port ranges are neither added nor removed: Hyper-V, WSL and WinNAT manage theirs, and an administrator adds others with netsh int ipv4 add excludedportrange.',
];

const text = (r: { start: number; num: number }): string => `start=${r.start} num=${r.num}`;
const toRange = (start: number, num: number): PortRange => ({ low: start, high: start + num - 1 });
const rangeList = (rs: readonly PortRange[], shown = 6): string =>
  rs.slice(0, shown).map((x) => (x.low === x.high ? `${x.low}` : `${x.low}–${x.high}`)).join(', ') + (rs.length > shown ? ` and ${rs.length - shown} more` : '');

/** The Windows proposal (steps in write order: IPv4, IPv6, TcpTimedWaitDelay). */
export function proposeWin32(input: PlanInput, wanted: boolean): PlatformProposal {
  const { kernel, options } = input;
  const facts = input.win32;
  const warnings: string[] = [];
  const notProposed: string[] = [...WIN32_NOT_PROPOSED];
  const steps: ProposedStep[] = [];
  const v4 = facts?.ipv4 ? toRange(facts.ipv4.start, facts.ipv4.count) : kernel.portRange;
  const excluded = facts?.excluded ?? kernel.reservedPorts ?? null;
  const askedRange = options.range !== undefined || (options.reserve?.length ?? 0) > 0;

  if (!v4) {
    if (wanted || askedRange) notProposed.push('The IPv4 dynamic port range could not be read (netsh int ipv4 show dynamicport tcp), so no wider range is proposed.');
  } else {
    const range = proposeUnreservedRange(
      v4,
      { ...(options.range ? { range: options.range } : {}), ...(options.reserve ? { reserve: options.reserve } : {}) },
      wanted,
      heldPortsOf(input),
      {
        floor: WIN32_DYNAMIC_PORT_BOUNDS.minStart,
        minPorts: WIN32_DYNAMIC_PORT_BOUNDS.minCount,
        protectedRanges: excluded ?? [],
        system: 'Windows',
        protectHint: 'To cover it anyway, first exclude the port as an administrator (netsh int ipv4 add excludedportrange protocol=tcp startport=PORT numberofports=1), or move the service.',
      },
    );
    warnings.push(...range.warnings);
    notProposed.push(...range.refusals);
    const r = range.range;
    if (r) {
      const num = r.high - r.low + 1;
      const setting = (key: typeof V4 | typeof V6): HelperSetting => ({ key, start: r.low, num });
      const newParts = [...(r.low < v4.low ? [`${r.low}–${v4.low - 1}`] : []), ...(r.high > v4.high ? [`${v4.high + 1}–${r.high}`] : [])].join(' and ');
      const risks = [
        `Ports ${newParts} become dynamic: a service configured to listen there but not running now could find its port taken by an outgoing connection when it starts. Portwatch left out the ports in use now.`,
        'Firewalls, NAT rules or security groups that allow return traffic only to the old range must allow the new one.',
      ];
      const inside = (excluded ?? []).filter((x) => x.high >= r.low && x.low <= r.high);
      if (excluded === null) warnings.push('The excluded port ranges could not be read (netsh int ipv4 show excludedportrange protocol=tcp): ranges Hyper-V, WSL or WinNAT hold inside the new range are not counted.');
      else if (inside.length) {
        const ports = mergePortRanges(inside.map((x) => ({ low: Math.max(x.low, r.low), high: Math.min(x.high, r.high) }))).reduce((n, x) => n + x.high - x.low + 1, 0);
        const admin = facts?.excluded?.filter((x) => x.administered && x.high >= r.low && x.low <= r.high).length ?? 0;
        warnings.push(
          `${count(ports)} port${ports > 1 ? 's' : ''} of the new range ${ports > 1 ? 'are' : 'is'} excluded (${rangeList(inside)}${admin ? `; ${admin} administered` : ''}): connect() cannot use them, and the capacity figures leave them out. ` +
            'Hyper-V, WSL and WinNAT reserve such blocks when they start and they move on reboot, so the usable count after a reboot may differ.',
        );
      }
      steps.push({
        id: 'widen-range',
        title: `Widen the IPv4 dynamic port range from ${v4.low}–${v4.high} to ${r.low}–${r.high}`,
        setting: setting(V4),
        current: facts?.ipv4 ? text({ start: facts.ipv4.start, num: facts.ipv4.count }) : text({ start: v4.low, num: v4.high - v4.low + 1 }),
        why:
          `${count(num - (v4.high - v4.low + 1))} more ports for outgoing IPv4 connections toward every destination. Windows applies it to new connections at once and keeps it across reboots (netsh stores it): nothing else is persisted. ` +
          'Relief, not a cure: the connections that fill the range keep coming; the application fixes above remove the cause.',
        risks,
        next: (s) => ({ ...s, range: { ...r } }),
      });
      const v6 = facts?.ipv6 ? toRange(facts.ipv6.start, facts.ipv6.count) : null;
      if (!v6) warnings.push('The IPv6 dynamic port range could not be read (netsh int ipv6 show dynamicport tcp): only IPv4 is changed.');
      else if (v6.low < r.low || v6.high > r.high) warnings.push(`The IPv6 dynamic port range ${v6.low}–${v6.high} is not inside ${r.low}–${r.high}: it is left alone (Portwatch only widens).`);
      else if (v6.low !== r.low || v6.high !== r.high) {
        steps.push({
          id: 'widen-range-ipv6',
          title: `Widen the IPv6 dynamic port range from ${v6.low}–${v6.high} to ${r.low}–${r.high}`,
          setting: setting(V6),
          current: text({ start: facts!.ipv6!.start, num: facts!.ipv6!.count }),
          why: 'IPv6 has a range of its own: the same width, so that connections over IPv6 get the same relief.',
          risks,
          // The what-if counts the IPv4 range (the sample's capacity does too).
          next: (s) => s,
        });
      }
    }
  }

  const tw = proposeTimedWaitDelay(facts, kernel.timeWaitSec, options.timeWaitSec);
  if (tw.step) steps.push(tw.step);
  notProposed.push(...tw.notes);
  return { steps, warnings, notProposed };
}

/** The opt-in TIME-WAIT step: TcpTimedWaitDelay in [30, 300] s, only shorter than what applies now. */
function proposeTimedWaitDelay(facts: Win32TuningFacts | undefined, effectiveSec: number, sec: number | undefined): { step: ProposedStep | null; notes: string[] } {
  if (sec === undefined) return { step: null, notes: [] };
  const { min, max } = TCP_TIMED_WAIT_DELAY_BOUNDS;
  if (!Number.isInteger(sec) || sec < min || sec > max) return { step: null, notes: [`A TIME-WAIT of ${sec} s is not offered on Windows: TcpTimedWaitDelay takes ${min} to ${max} s.`] };
  const value = facts?.timedWaitDelay ?? null;
  if (value === null) return { step: null, notes: ['TcpTimedWaitDelay could not be read: TIME-WAIT is left alone.'] };
  const now = value === 'not set' ? WIN32_DEFAULT_TIME_WAIT_SEC : value;
  if (sec >= now) return { step: null, notes: [`TIME-WAIT is already ${seconds(effectiveSec)} here: ${sec} s would not shorten it.`] };
  return {
    step: {
      id: 'time-wait',
      title: `Shorten TIME-WAIT from ${seconds(now)} to ${seconds(sec)} (TcpTimedWaitDelay, after the next reboot), as you asked`,
      setting: { key: TWD, value: sec },
      current: value === 'not set' ? null : String(value),
      why:
        `A closed connection keeps its port for TcpTimedWaitDelay (${value === 'not set' ? `not set: ${WIN32_DEFAULT_TIME_WAIT_SEC} s by the newer documentation, 240 s by the Windows 2000 one` : `${value} s now`}); at ${sec} s each port toward a destination comes back ${Number((now / sec).toFixed(2))}× sooner. ` +
        'You asked for it (--time-wait): Portwatch never proposes it by itself.',
      risks: [
        'Windows reads TcpTimedWaitDelay at boot: nothing changes until the next reboot, and the keep-or-revert countdown can only check that the registry holds the value.',
        'It sets TIME-WAIT for every TCP connection of this machine, incoming and outgoing, not only the busy one.',
        'TIME-WAIT keeps a delayed segment of an old connection from being taken for part of a new connection between the same addresses and ports; the shorter it is, the likelier that becomes on slow or lossy paths.',
      ],
      next: (s) => ({ ...s, timeWaitSec: sec }),
    },
    notes: [],
  };
}

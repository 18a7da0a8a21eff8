// The macOS part of a plan: a wider net.inet.ip.portrange.first–last (never below 1024, first always
// below last, only wider, never over a port a service listens on: macOS cannot reserve ports), and, only
// when asked, a shorter TIME-WAIT through net.inet.tcp.msl with its risk stated. lowfirst/lowlast are
// never touched; hifirst/hilast are left alone (only IP_PORTRANGE_HIGH sockets use them). Persisted by a
// LaunchDaemon, with a warning for any other LaunchDaemon that sets the same keys at boot. Pure.
import type { PortRange } from '../../common/model.js';
import {
  DARWIN_LAUNCHD_PLIST_PATH,
  DARWIN_MSL_BOUNDS_MS,
  DARWIN_PORT_BOUNDS,
  kernelText,
  type HelperSetting,
  type TuningPlan,
} from '../../common/tuning.js';
import { ETC_SYSCTL_CONF, LAUNCHD_HOW, launchdOverrides, renderLaunchdPlist, sysctlAssignments } from '../../helper/darwin-launchd.js';
import type { DarwinTuningFacts } from './darwin-facts.js';
import { count, seconds } from './plan-format.js';
import { heldPortsOf, type PlanInput } from './plan-input.js';
import { proposeUnreservedRange } from './plan-range-unreserved.js';
import type { PlatformProposal, ProposedStep } from './plan-steps.js';

const FIRST = 'net.inet.ip.portrange.first';
const LAST = 'net.inet.ip.portrange.last';
const MSL = 'net.inet.tcp.msl';

/** What is never proposed on macOS, and why. */
export const DARWIN_NOT_PROPOSED: readonly string[] = [
  'net.inet.ip.portrange.lowfirst/lowlast: never touched; they bound the privileged ports a root process gets with IP_PORTRANGE_LOW.',
  'net.inet.ip.portrange.hifirst/hilast: left alone; only sockets that ask for IP_PORTRANGE_HIGH use them, and a plain connect() picks from first–last.',
  'net.inet.tcp.msl: not proposed unless you ask (--time-wait SECONDS). TIME-WAIT lasts 2 × msl (30 s by default) for every TCP connection of this Mac, incoming and outgoing; shortening it lets a delayed segment of an old connection be taken for part of a new one between the same addresses and ports. Reusing connections removes the TIME-WAIT sockets instead.',
];

/** The macOS proposal (steps in write order: first, last, msl). */
export function proposeDarwin(input: PlanInput, wanted: boolean): PlatformProposal {
  const { kernel, options } = input;
  const facts = input.darwin;
  const warnings: string[] = [];
  const notProposed: string[] = [...DARWIN_NOT_PROPOSED];
  const steps: ProposedStep[] = [];
  const first = facts?.first ?? kernel.portRange?.low ?? null;
  const last = facts?.last ?? kernel.portRange?.high ?? null;
  const askedRange = options.range !== undefined || (options.reserve?.length ?? 0) > 0;

  if (first === null || last === null) {
    if (wanted || askedRange) notProposed.push('net.inet.ip.portrange.first/last could not be read, so no wider range is proposed.');
  } else if (first > last) {
    warnings.push(
      `net.inet.ip.portrange.first (${first}) is above net.inet.ip.portrange.last (${last}): the kernel does not check the order and then hands out ports from ${last} to ${first}. ` +
        'Portwatch does not widen a range it reads this way: set first below last by hand first.',
    );
  } else {
    const cur: PortRange = { low: first, high: last };
    const range = proposeUnreservedRange(
      cur,
      { ...(options.range ? { range: options.range } : {}), ...(options.reserve ? { reserve: options.reserve } : {}) },
      wanted,
      heldPortsOf(input),
      {
        floor: DARWIN_PORT_BOUNDS.min,
        minPorts: 2,
        protectedRanges: [],
        system: 'macOS',
        protectHint: 'Move the service out of the range, or choose a range that leaves its port out: macOS has no reserved-port list.',
      },
    );
    warnings.push(...range.warnings);
    notProposed.push(...range.refusals);
    const r = range.range;
    if (r) {
      const hi = facts?.hifirst !== null && facts?.hifirst !== undefined && facts.hilast !== null ? `${facts.hifirst}–${facts.hilast}` : 'unchanged';
      const risks = (from: number, to: number): string[] => [
        `Ports ${from}–${to} become ephemeral: a service configured to listen there but not running now could find its port taken by an outgoing connection when it starts. Portwatch left out the ports in use now; macOS cannot reserve the others.`,
        'Firewalls, NAT rules or security groups that allow return traffic only to the old range must allow the new one.',
        `Sockets that ask for IP_PORTRANGE_HIGH keep using hifirst–hilast (${hi}).`,
      ];
      const why = (added: number) =>
        `${count(added)} more ports for outgoing connections toward every destination: a plain connect() picks its local port from net.inet.ip.portrange.first–last. ` +
        'Relief, not a cure: the connections that fill the range keep coming; the application fixes above remove the cause.';
      if (r.low < first) {
        steps.push({
          id: 'widen-range',
          title: `Lower the start of the ephemeral range from ${first} to ${r.low} (net.inet.ip.portrange.first)`,
          setting: { key: FIRST, value: r.low },
          current: String(first),
          why: why(first - r.low),
          risks: risks(r.low, first - 1),
          next: (s) => ({ ...s, range: { low: r.low, high: s.range?.high ?? last } }),
        });
      }
      if (r.high > last) {
        steps.push({
          id: 'widen-range-high',
          title: `Raise the end of the ephemeral range from ${last} to ${r.high} (net.inet.ip.portrange.last)`,
          setting: { key: LAST, value: r.high },
          current: String(last),
          why: why(r.high - last),
          risks: risks(last + 1, r.high),
          next: (s) => ({ ...s, range: { low: s.range?.low ?? first, high: r.high } }),
        });
      }
    }
  }

  const tw = proposeMsl(facts, options.timeWaitSec);
  if (tw.step) steps.push(tw.step);
  notProposed.push(...tw.notes);
  const conf = facts?.bootFiles?.find((f) => f.path === ETC_SYSCTL_CONF);
  for (const a of conf ? sysctlAssignments(conf.text) : []) {
    notProposed.push(`${ETC_SYSCTL_CONF}:${a.line} sets ${a.key} = ${a.value}, but current macOS does not apply that file at boot (macOS up to 10.9 did): Portwatch persists with a LaunchDaemon instead.`);
  }
  return { steps, warnings, notProposed };
}

/** The opt-in TIME-WAIT step: msl = seconds × 500 ms, inside the bounds, only shorter. */
function proposeMsl(facts: DarwinTuningFacts | undefined, sec: number | undefined): { step: ProposedStep | null; notes: string[] } {
  if (sec === undefined) return { step: null, notes: [] };
  const cur = facts?.mslMs ?? null;
  if (cur === null || cur <= 0) return { step: null, notes: ['net.inet.tcp.msl could not be read: TIME-WAIT is left alone.'] };
  const msl = Math.round(sec * 500);
  const { min, max } = DARWIN_MSL_BOUNDS_MS;
  if (!Number.isFinite(sec) || msl < min || msl > max) {
    return { step: null, notes: [`A TIME-WAIT of ${sec} s is not offered on macOS: Portwatch sets net.inet.tcp.msl between ${min} and ${max} ms, a TIME-WAIT of ${(2 * min) / 1000} to ${(2 * max) / 1000} s.`] };
  }
  if (msl >= cur) return { step: null, notes: [`TIME-WAIT is already ${seconds((2 * cur) / 1000)} here (net.inet.tcp.msl ${cur} ms): ${sec} s would not shorten it.`] };
  const setting: HelperSetting = { key: MSL, value: msl };
  const before = (2 * cur) / 1000;
  const after = (2 * msl) / 1000;
  return {
    step: {
      id: 'time-wait',
      title: `Shorten TIME-WAIT from ${seconds(before)} to ${seconds(after)} (net.inet.tcp.msl ${cur} → ${kernelText(setting)} ms), as you asked`,
      setting,
      current: String(cur),
      why:
        `A closed connection keeps its 4-tuple for 2 × net.inet.tcp.msl; at ${seconds(after)} each port toward a destination comes back ${Number((before / after).toFixed(2))}× sooner, so one destination sustains that many times more new connections per second. ` +
        'You asked for it (--time-wait): Portwatch never proposes it by itself.',
      risks: [
        'It shortens TIME-WAIT for every TCP connection of this Mac, incoming and outgoing, toward every destination, not only the busy one.',
        'TIME-WAIT keeps a delayed segment of an old connection from being taken for part of a new connection between the same addresses and ports; the shorter it is, the likelier that becomes on slow or lossy paths.',
        'It is relief for the rate, not a cure: reusing connections removes the TIME-WAIT sockets altogether.',
      ],
      next: (s) => ({ ...s, timeWaitSec: after }),
    },
    notes: [],
  };
}

/** The LaunchDaemon before and after, how it applies at boot, and warnings for other LaunchDaemons setting the same keys. */
export function darwinPersistence(facts: DarwinTuningFacts | undefined, settings: readonly HelperSetting[]): { persistence: NonNullable<TuningPlan['persistence']>; warnings: string[] } {
  const files = facts?.bootFiles ?? null;
  const before = files?.find((f) => f.path === DARWIN_LAUNCHD_PLIST_PATH)?.text ?? null;
  const after = renderLaunchdPlist(before, settings);
  const warnings: string[] = [];
  if (files === null) warnings.push('The LaunchDaemons of this Mac were not read (a plan made from a capture): another one may set these keys at boot.');
  const values = Object.fromEntries(settings.map((s) => [s.key, kernelText(s)]));
  for (const o of launchdOverrides(files ?? [], values, settings.map((s) => s.key))) {
    warnings.push(`${o.path}:${o.line} also sets ${o.key} = ${o.value} at boot: launchd starts LaunchDaemons in no fixed order, so that value may win over ${DARWIN_LAUNCHD_PLIST_PATH}. Change or remove it.`);
  }
  return { persistence: { path: DARWIN_LAUNCHD_PLIST_PATH, before, after, boot: [], how: LAUNCHD_HOW }, warnings };
}

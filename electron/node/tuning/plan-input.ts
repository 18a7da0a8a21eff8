// What the planner plans from: the settings in effect, the analysed sample, the ports services listen on,
// the environment (host or container) and the sysctl configuration files. All plain data, so the planner
// is a pure function and tests can state every input.
import type { KernelSettings, PlatformName, PortRange, Sample } from '../../common/model.js';
import { TCP_STATE } from '../../common/tcp-state.js';
import type { TuningEnvironment } from '../../common/tuning.js';
import type { SysctlConfigFile } from '../../helper/sysctl-boot-order.js';
import type { SocketTable } from '../platform/types.js';
import type { DarwinTuningFacts } from './darwin-facts.js';
import type { Win32TuningFacts } from './win32-facts.js';

/** The parts of a Sample the planner reads. */
export type PlanSample = Pick<Sample, 'severity' | 'severityReason' | 'diagnoses' | 'destinations' | 'worst' | 'global' | 'rates'>;

/** What the user asked for on top of (or instead of) what the diagnosis suggests. */
export interface PlanOptions {
  /** An explicit new range; the guard rails still apply (never below the floor, only wider). */
  range?: PortRange;
  /** Ports services are configured to listen on, though not listening now: reserved when inside the new range. */
  reserve?: readonly number[];
  /** Leave tcp_tw_reuse alone. */
  noTwReuse?: boolean;
  /** Propose kernel relief even when the sample shows no pressure. */
  force?: boolean;
  /** Keep-or-revert countdown, seconds (default 60). */
  confirmTimeoutSec?: number;
  /**
   * Shorten TIME-WAIT to this many seconds (opt-in, never proposed by itself): macOS net.inet.tcp.msl
   * (TIME-WAIT = 2 × msl, 10–30 s), Windows TcpTimedWaitDelay (30–300 s, after a reboot). Linux: fixed 60 s.
   */
  timeWaitSec?: number;
}

/** Everything the planner needs. */
export interface PlanInput {
  platform: PlatformName;
  kernel: KernelSettings;
  /** The analysed sample; null when none could be taken (then only explicit options lead to kernel steps). */
  sample: PlanSample | null;
  /** Ports with a listening socket (any address, IPv4 or IPv6); null when no socket table could be read. */
  listeningPorts: readonly number[] | null;
  /** Ports held by bound-only sockets (they count as held, like listeners, but are not reserved for them); null likewise. */
  boundPorts: readonly number[] | null;
  environment: TuningEnvironment;
  /** The sysctl configuration (system paths), or null when it could not be read. */
  sysctlFiles: readonly SysctlConfigFile[] | null;
  options: PlanOptions;
  /** Epoch ms. */
  now: number;
  /** macOS facts KernelSettings has no field for (raw first/last, msl, boot files); read from the raw sources. */
  darwin?: DarwinTuningFacts;
  /** Windows facts KernelSettings has no field for (IPv4/IPv6 ranges, exclusions, TcpTimedWaitDelay). */
  win32?: Win32TuningFacts;
}

/**
 * Why no wider range is proposed without the socket table: the ports services listen on are unknown, and
 * a wider range could hand one of them to an outgoing connection (an empty list is not "none").
 */
export const HELD_PORTS_UNKNOWN =
  'No socket table could be read (see the sources), so the ports services listen on are unknown: no wider range is proposed, as it could hand a service\'s port to an outgoing connection.';

/** The ports held by listening and bound sockets, all together; null when they are unknown. */
export function heldPortsOf(input: Pick<PlanInput, 'listeningPorts' | 'boundPorts'>): number[] | null {
  if (input.listeningPorts === null || input.boundPorts === null) return null;
  return [...new Set([...input.listeningPorts, ...input.boundPorts])];
}

/**
 * Listening and bound-only local ports of a socket table (state 10 LISTEN; 13 BOUND, and 7 CLOSE from
 * sock_diag); null for both when there is no table (unknown, not none).
 */
export function heldPortsFromTable(table: SocketTable | null): { listening: number[]; bound: number[] } | { listening: null; bound: null } {
  if (!table) return { listening: null, bound: null };
  const listening = new Set<number>();
  const bound = new Set<number>();
  for (let i = 0; i < table.count; i++) {
    const s = table.state[i];
    const p = table.localPort[i]!;
    if (p === 0) continue;
    if (s === TCP_STATE.LISTEN) listening.add(p);
    else if (s === TCP_STATE.BOUND || (s === TCP_STATE.CLOSE && table.remotePort[i] === 0)) bound.add(p);
  }
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return { listening: sorted(listening), bound: sorted(bound).filter((p) => !listening.has(p)) };
}

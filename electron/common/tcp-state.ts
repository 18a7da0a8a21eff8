// TCP states, numbered as the Linux kernel numbers them (include/net/tcp_states.h), so that the
// Linux backend needs no translation; macOS and Windows parsers map their names onto the same numbers.

/** A TCP state name as shown to users (ss spelling). */
export type TcpStateName =
  | 'ESTABLISHED'
  | 'SYN-SENT'
  | 'SYN-RECV'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'TIME-WAIT'
  | 'CLOSE'
  | 'CLOSE-WAIT'
  | 'LAST-ACK'
  | 'LISTEN'
  | 'CLOSING'
  | 'NEW-SYN-RECV'
  | 'BOUND';

export const TCP_STATE = {
  ESTABLISHED: 1,
  SYN_SENT: 2,
  SYN_RECV: 3,
  FIN_WAIT1: 4,
  FIN_WAIT2: 5,
  TIME_WAIT: 6,
  CLOSE: 7,
  CLOSE_WAIT: 8,
  LAST_ACK: 9,
  LISTEN: 10,
  CLOSING: 11,
  NEW_SYN_RECV: 12,
  /** Bound but neither listening nor connected (Linux TCP_BOUND_INACTIVE, Windows BOUND). */
  BOUND: 13,
} as const;

export type TcpStateNumber = (typeof TCP_STATE)[keyof typeof TCP_STATE];

/** Names indexed by state number; index 0 is unused. */
export const TCP_STATE_NAMES: readonly (TcpStateName | undefined)[] = [
  undefined,
  'ESTABLISHED',
  'SYN-SENT',
  'SYN-RECV',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'TIME-WAIT',
  'CLOSE',
  'CLOSE-WAIT',
  'LAST-ACK',
  'LISTEN',
  'CLOSING',
  'NEW-SYN-RECV',
  'BOUND',
];

/** Every state name in display order (the order the dashboard stacks them). */
export const ALL_TCP_STATES: readonly TcpStateName[] = TCP_STATE_NAMES.filter(
  (n): n is TcpStateName => n !== undefined,
);

/** The name of a state number, or undefined when the number is not a TCP state. */
export function tcpStateName(n: number): TcpStateName | undefined {
  return Number.isInteger(n) ? TCP_STATE_NAMES[n] : undefined;
}

/**
 * States whose socket occupies an ephemeral port toward one destination
 * (docs/domain.md: any state but LISTEN; bound-only sockets are counted as held ports instead).
 */
export function occupiesDestinationPort(state: number): boolean {
  return state !== TCP_STATE.LISTEN && state !== TCP_STATE.BOUND && state !== TCP_STATE.CLOSE && state !== TCP_STATE.NEW_SYN_RECV && state !== TCP_STATE.SYN_RECV;
}

// Who can take which port: the kernel's rules (docs/port-model.md) applied to one socket table.
//
// connect()'s autobind (__inet_hash_connect) skips every port whose bind bucket was made by bind() or
// listen() (fastreuse or fastreuseport ≥ 0), whatever the source address, and otherwise only needs the
// 4-tuple to be unique. So a port is lost to a destination D when it is reserved, held by a listener
// or a bound-only socket, taken by a socket that bind()s before connect() (toward any destination, in
// any state including TIME-WAIT), or used by a socket toward D that still blocks its 4-tuple.
//
// The table says exactly which ports are reserved, listening or bound-only. It does not say how a
// connected socket got its port. Evidence, strongest first: a port used by two connected sockets was
// handed out by connect() (autobind never hands out a bind() bucket, and bind() without SO_REUSEADDR
// never joins a connected one); a process that holds bound-only sockets binds before connecting; many
// sockets toward several destinations that never share a port although chance says they would.
// Everything else is assumed taken by connect(): the figures then carry bounds for the other case.
//
// Nor does the table say whether a TIME-WAIT connection used TCP timestamps, and tcp_tw_reuse reuses a
// TIME-WAIT 4-tuple only when it did (tcp_twsk_unique needs tw_ts_recent_stamp, set from the peer's
// timestamps). A TIME-WAIT that reuse could take by the settings counts as free; the low bound takes it
// as held for the rest of its TIME-WAIT, as it is toward a peer that does not echo timestamps.

/** How a connected socket's port was taken, per port. */
export const PORT_CLASS = {
  /** No outbound socket uses it. */
  NONE: 0,
  /** Used by two or more outbound sockets: taken by connect() (kernel rule). */
  SHARED: 1,
  /** Used by one outbound socket, no evidence of bind(): assumed taken by connect(). */
  UNPROVEN: 2,
  /** Used by a socket whose port is, by evidence, taken by bind(): held from every destination. */
  INFERRED_BOUND: 3,
} as const;

/** Expected shared ports at or above which never sharing one is evidence of bind() before connect(). */
export const MIN_EXPECTED_SHARED_PORTS = 5;

/** Columns of the socket table the model reads (a SocketTable fits). */
export interface ModelTable {
  count: number;
  localPort: Uint16Array;
  pid: Int32Array;
}

/** What the model needs besides the table. */
export interface PortModelInput {
  range: { low: number; high: number };
  /** 1 per reserved port inside the range. */
  reservedMask: Uint8Array;
  /** 1 per port held by a listener or a bound-only socket (kernel-exact). */
  heldPorts: Uint8Array;
  table: ModelTable;
  /** Destination row of each socket, -1 when it is not outbound. */
  destOf: Int32Array;
  destCount: number;
  /** Per socket: 1 when it blocks its 4-tuple now (not a TIME-WAIT that tw_reuse can already take). */
  blocks: Uint8Array;
  /** Bound-only sockets inside the range per owning pid (pid > 0). */
  boundOnlyByPid: ReadonlyMap<number, number>;
}

/** Ports left toward one destination: the best estimate and what the kernel may allow at least/most. */
export interface PortsLeft {
  best: number;
  low: number;
  high: number;
}

/** The model's answer for one table. */
export interface PortModel {
  /** rangeSize − reserved: what connect() may pick from at all. */
  pickable: number;
  /** Ports held by listeners and bound-only sockets inside the range, not reserved (kernel-exact). */
  heldExact: number;
  /** Outbound ports held from everyone by evidence of bind() (not in heldExact). */
  heldInferred: number;
  /** Outbound ports used by one socket with no evidence either way (assumed connect()). */
  unproven: number;
  /** Outbound ports used by two or more sockets (connect(), kernel rule). */
  shared: number;
  /** Port class per port (PORT_CLASS), for ports inside the range. */
  portClass: Uint8Array;
  /** Per destination: blocking sockets by the class of their port (ports reserved or held exactly left out). */
  blockingOn: { shared: Uint32Array; unproven: Uint32Array; inferred: Uint32Array };
  /**
   * Per destination: TIME-WAIT sockets counted as free because tcp_tw_reuse may take them, which holds
   * only if their connections used TCP timestamps (ports reserved, held exactly or by inference left out).
   */
  reusableOn: { shared: Uint32Array; unproven: Uint32Array };
  /** What the inference rests on. */
  evidence: {
    /** Processes with bound-only sockets whose connected sockets count as bound: pid → outbound sockets. */
    bindingProcesses: Map<number, number>;
    /** Never-shared ports across destinations although chance says some would be. */
    statistical: boolean;
    expectedSharedPorts: number;
  };
}

/**
 * Expected number of shared ports if every destination's k_i sockets picked ports independently and
 * uniformly among `usable`: the sum over destination pairs of k_i * k_j / usable.
 */
export function expectedSharedPorts(perDestination: ArrayLike<number>, usable: number): number {
  if (!(usable > 0)) return 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < perDestination.length; i++) {
    const k = perDestination[i]!;
    sum += k;
    sumSq += k * k;
  }
  return (sum * sum - sumSq) / 2 / usable;
}

/** Applies the kernel's rules and the evidence to one table. */
export function buildPortModel(x: PortModelInput): PortModel {
  const { range, reservedMask, heldPorts, table, destOf } = x;
  const n = table.count;
  const usesPort = new Uint8Array(65536); // 0, 1, 2 = two or more outbound sockets
  const perDest = new Uint32Array(x.destCount);
  for (let i = 0; i < n; i++) {
    const d = destOf[i]!;
    if (d < 0) continue;
    perDest[d]!++;
    const p = table.localPort[i]!;
    if (usesPort[p]! < 2) usesPort[p]!++;
  }

  let pickable = 0;
  let heldExact = 0;
  let sharedAny = false;
  for (let p = range.low; p <= range.high; p++) {
    if (reservedMask[p]) continue;
    pickable++;
    if (heldPorts[p]) heldExact++;
    if (usesPort[p] === 2) sharedAny = true;
  }

  // Statistical evidence: plain connects toward several destinations collide by chance; bind()s never do.
  const expected = expectedSharedPorts(perDest, pickable - heldExact);
  const statistical = x.destCount >= 2 && !sharedAny && expected >= MIN_EXPECTED_SHARED_PORTS;

  const portClass = new Uint8Array(65536);
  const bindingProcesses = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (destOf[i]! < 0) continue;
    const p = table.localPort[i]!;
    if (usesPort[p] === 2) {
      portClass[p] = PORT_CLASS.SHARED;
      continue;
    }
    const pid = table.pid[i]!;
    const binder = pid > 0 && x.boundOnlyByPid.has(pid);
    if (binder) bindingProcesses.set(pid, (bindingProcesses.get(pid) ?? 0) + 1);
    portClass[p] = binder || statistical ? PORT_CLASS.INFERRED_BOUND : PORT_CLASS.UNPROVEN;
  }

  let heldInferred = 0;
  let unproven = 0;
  let shared = 0;
  for (let p = range.low; p <= range.high; p++) {
    if (reservedMask[p] || heldPorts[p]) continue;
    const c = portClass[p];
    if (c === PORT_CLASS.INFERRED_BOUND) heldInferred++;
    else if (c === PORT_CLASS.UNPROVEN) unproven++;
    else if (c === PORT_CLASS.SHARED) shared++;
  }

  const blockingOn = { shared: new Uint32Array(x.destCount), unproven: new Uint32Array(x.destCount), inferred: new Uint32Array(x.destCount) };
  const reusableOn = { shared: new Uint32Array(x.destCount), unproven: new Uint32Array(x.destCount) };
  for (let i = 0; i < n; i++) {
    const d = destOf[i]!;
    if (d < 0) continue;
    const p = table.localPort[i]!;
    if (reservedMask[p] || heldPorts[p]) continue;
    const c = portClass[p];
    if (!x.blocks[i]) {
      // a TIME-WAIT reuse may take (a bound one's port stays held whatever reuse does: heldInferred)
      if (c === PORT_CLASS.SHARED) reusableOn.shared[d]!++;
      else if (c === PORT_CLASS.UNPROVEN) reusableOn.unproven[d]!++;
      continue;
    }
    if (c === PORT_CLASS.INFERRED_BOUND) blockingOn.inferred[d]!++;
    else if (c === PORT_CLASS.UNPROVEN) blockingOn.unproven[d]!++;
    else blockingOn.shared[d]!++;
  }

  return {
    pickable,
    heldExact,
    heldInferred,
    unproven,
    shared,
    portClass,
    blockingOn,
    reusableOn,
    evidence: { bindingProcesses, statistical, expectedSharedPorts: expected },
  };
}

/**
 * Ports left toward destination d. Its own sockets count once (a bound one blocks d through its bind
 * bucket and its 4-tuple alike); other destinations' sockets only through held ports. The bounds take
 * every unproven or inferred port as bound (low) or as taken by connect() (high); unless the peer is
 * known to echo TCP timestamps, the low bound also takes d's reusable TIME-WAIT as held (unproven ports
 * are already in it as bound; the shared ones are added).
 */
export function portsLeftToward(m: PortModel, d: number, peerTimestampsKnown = false): PortsLeft {
  const b = m.blockingOn;
  const base = m.pickable - m.heldExact - b.shared[d]!;
  return clampLeft({
    best: base - m.heldInferred - b.unproven[d]!,
    low: base - m.heldInferred - m.unproven - (peerTimestampsKnown ? 0 : m.reusableOn.shared[d]!),
    high: base - b.unproven[d]! - b.inferred[d]!,
  });
}

/** TIME-WAIT sockets toward d counted as free only because tcp_tw_reuse may take them. */
export function reusableTimeWaitToward(m: PortModel, d: number): number {
  return m.reusableOn.shared[d]! + m.reusableOn.unproven[d]!;
}

/** Ports left toward a destination no socket talks to yet. */
export function portsLeftForNewDestination(m: PortModel): PortsLeft {
  return clampLeft({
    best: m.pickable - m.heldExact - m.heldInferred,
    low: m.pickable - m.heldExact - m.heldInferred - m.unproven,
    high: m.pickable - m.heldExact,
  });
}

/** Blocking sockets toward d that take a port not already counted as held from everyone: what ranks destinations. */
export function ownClaim(m: PortModel, d: number): number {
  return m.blockingOn.shared[d]! + m.blockingOn.unproven[d]!;
}

function clampLeft(x: PortsLeft): PortsLeft {
  const low = Math.max(0, x.low);
  const high = Math.max(low, x.high);
  return { best: Math.min(high, Math.max(low, x.best)), low, high };
}

/** True when a figure does not depend on how any port was taken. */
export function isExact(left: PortsLeft): boolean {
  return left.low === left.high;
}

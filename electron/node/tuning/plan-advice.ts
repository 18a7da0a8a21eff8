// Application-level fixes, first in every plan because they are the cure (docs/domain.md "Widening the range
// is relief, not a cure"). Explained, never applied. Chosen by the diagnosis ids of the sample.
import type { PlatformName } from '../../common/model.js';
import type { DiagnosisId } from '../../common/diagnosis-id.js';
import type { AdviceStep } from '../../common/tuning.js';
import type { PlanSample } from './plan-input.js';
import { count } from './plan-format.js';

type AdviceId = 'connection-reuse' | 'more-source-addresses' | 'bind-address-no-port' | 'bounded-pool' | 'close-sockets' | 'move-listeners';

function catalog(id: AdviceId, usable: number | null, platform: PlatformName, holdSec: number): Omit<AdviceStep, 'forDiagnoses'> {
  switch (id) {
    case 'connection-reuse':
      return {
        kind: 'application',
        id,
        title: 'Reuse connections instead of opening one per request',
        text:
          'Turn on HTTP keep-alive in clients; give proxies upstream keep-alive pools (nginx: "keepalive N" in the upstream block with proxy_http_version 1.1 and an empty Connection header; HAProxy: http-reuse; Envoy: connection pools); use a connection pool in database and HTTP client libraries.',
        why: `Every connection that is closed holds its port toward that destination for ${Number(holdSec.toFixed(3))} s in TIME-WAIT; a reused connection needs no new port. This removes the cause; kernel settings only raise the ceiling.`,
      };
    case 'more-source-addresses':
      return {
        kind: 'application',
        id,
        title: 'Spread connections over more source addresses (or destination addresses or ports)',
        text: 'Add source IP addresses and let the client use them in turn, or spread the load over more destination addresses or ports.',
        why: `The limit is per (source address, destination address, destination port): each extra source address brings its own ${usable !== null ? `${count(usable)} ` : ''}usable ports toward the same destination.`,
      };
    case 'bind-address-no-port':
      if (platform !== 'linux') {
        return {
          kind: 'application',
          id,
          title: 'Do not take the port at bind() time',
          text:
            platform === 'win32'
              ? 'Where a program needs no particular source address, do not bind() before connect(). Where it must bind() first, set the socket option SO_REUSE_UNICASTPORT (Windows 10 and Windows Server 2016 and later) so that the port is chosen at connect(), or let it bind fewer sockets.'
              : 'Where a program needs no particular source address, do not bind() before connect(): macOS has no option that defers the port to connect(), so every bind() takes a port away from all destinations.',
          why: 'A port chosen by bind() is taken for every destination, so such programs run out globally (EADDRINUSE), long before any one destination is full.',
        };
      }
      return {
        kind: 'application',
        id,
        title: 'Do not take the port at bind() time: IP_BIND_ADDRESS_NO_PORT',
        text:
          'Where a program must bind() a source address before connect(), set the socket option IP_BIND_ADDRESS_NO_PORT (Linux 4.2+) first; where it needs no particular source address, do not bind() at all. To keep a program inside part of the range, use IP_LOCAL_PORT_RANGE (Linux 6.3+) rather than explicit ports.',
        why: 'A port chosen by bind() is taken for every destination, so such programs run out globally (EADDRINUSE). With IP_BIND_ADDRESS_NO_PORT the kernel chooses the port at connect(), per destination.',
      };
    case 'bounded-pool':
      return {
        kind: 'application',
        id,
        title: 'Bound the connection pool and close or return every connection',
        text: 'Give the pool a maximum per host and make sure every connection is closed or returned to it.',
        why: 'Open connections toward one destination keep growing: a leak or an unbounded pool. No kernel setting stops it; a wider range only delays the end.',
      };
    case 'close-sockets':
      return {
        kind: 'application',
        id,
        title: 'Close the sockets the other side has closed (CLOSE-WAIT)',
        text: `Fix the program so that it calls close() when the peer has closed (read returns 0 / end of stream); ${
          platform === 'darwin' ? '`netstat -anv -p tcp` lists them (state CLOSE_WAIT) with their pid' : platform === 'win32' ? '`Get-NetTCPConnection -State CloseWait` lists them with their OwningProcess' : '`ss -tnp state close-wait` lists them with their owners'
        }.`,
        why: 'A socket in CLOSE-WAIT stays until the program closes it: a leak, not a tuning problem. No kernel setting helps.',
      };
    case 'move-listeners':
      return {
        kind: 'application',
        id,
        title: 'Move services that listen inside the ephemeral range below it',
        text: 'Configure services to listen on ports below the ephemeral range; each listening port inside it is lost to outgoing connections.',
        why: 'Listening and bound sockets inside the range take ports away from every destination.',
      };
  }
}

/** The cure for each diagnosis (none: the diagnosis is a look-alike or has no application fix; see lookAlikeNotes). */
const BY_DIAGNOSIS: { readonly [D in DiagnosisId]: readonly AdviceId[] } = {
  'time-wait-churn': ['connection-reuse', 'more-source-addresses'],
  'bind-before-connect': ['bind-address-no-port'],
  'established-growth': ['bounded-pool'],
  'close-wait-leak': ['close-sockets'],
  'reserved-or-listeners-eat-range': ['move-listeners'],
  'narrow-range': ['connection-reuse'],
  'kernel-counters': ['connection-reuse'],
  'port-allocation-failures': [],
  // another namespace's failures: nothing to change here
  'port-allocation-failures-elsewhere': [],
  'conntrack-near-full': [],
};

/** Application advice for the sample's diagnoses (the generic cure when it is under pressure with no specific diagnosis). */
export function adviceFor(sample: PlanSample | null, usable: number | null, platform: PlatformName = 'linux', holdSec = 60): AdviceStep[] {
  if (!sample) return [];
  const out = new Map<AdviceId, AdviceStep>();
  const add = (id: AdviceId, from: string): void => {
    const a = out.get(id);
    if (a) {
      if (!a.forDiagnoses.includes(from)) a.forDiagnoses.push(from);
    } else out.set(id, { ...catalog(id, usable, platform, holdSec), forDiagnoses: [from] });
  };
  for (const d of sample.diagnoses) for (const id of BY_DIAGNOSIS[d.id]) add(id, d.id);
  const pressure = sample.severity === 'warning' || sample.severity === 'critical' || sample.severity === 'exhausted';
  if (pressure && out.size === 0) {
    add('connection-reuse', 'severity');
    add('more-source-addresses', 'severity');
  }
  return [...out.values()];
}

/** Look-alikes and leaks that no setting here fixes: what the plan says instead of changing something. */
export function lookAlikeNotes(sample: PlanSample | null): string[] {
  const notes: string[] = [];
  for (const d of sample?.diagnoses ?? []) {
    if (d.id === 'conntrack-near-full') {
      notes.push('The connection tracking table is nearly full: that is not ephemeral ports, and Portwatch does not change net.netfilter.nf_conntrack_max (see the diagnosis).');
    }
    if (d.id === 'close-wait-leak') notes.push('No kernel setting is proposed for CLOSE-WAIT: the program must close its sockets.');
    if (d.id === 'established-growth') notes.push('A growing number of open connections is a leak or an unbounded pool; a wider range would only delay running out.');
  }
  return notes;
}

/** Myths a plan must never act on, stated the right way round (Linux). */
export const LINUX_MYTHS: readonly string[] = [
  'net.ipv4.tcp_tw_recycle: never. It broke clients behind NAT and was removed in Linux 4.12.',
  'net.ipv4.tcp_max_tw_buckets: never lowered. Overflowing it destroys TIME-WAIT sockets early (counter TCPTimeWaitOverflow); the kernel documentation says never to lower it.',
  'net.ipv4.tcp_fin_timeout: left alone. It does not shorten TIME-WAIT, which lasts 60 s, fixed in the kernel; it only bounds orphaned FIN-WAIT-2 sockets.',
];

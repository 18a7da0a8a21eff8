import { describe, expect, it } from 'vitest';
import type { NamespaceIdentity, NamespaceSample } from '../../electron/common/host-sample.js';
import { hostReportLines, summarizeNamespace } from '../../electron/cli/host-report.js';
import { plainText } from '../../electron/cli/paint.js';
import { makeSample } from '../node/service/make-sample.js';

const T0 = 1_700_000_000_000;
const identity = (inode: number, names: string[]): NamespaceIdentity => ({
  id: `net:[${inode}]`, inode, names, self: false, host: false, processes: [], processCount: 0, containers: [], pod: null,
});

// Three namespaces: one read whole (2 sockets), one whose socket table could not be read, one that timed out.
const read: NamespaceSample = { identity: identity(4026532301, ['read']), status: 'ok', sample: makeSample(T0, 1) };
const unread: NamespaceSample = {
  identity: identity(4026532302, ['unread']),
  status: 'ok',
  sample: makeSample(T0, 0, { severity: 'unknown', socketTableRead: false, totalSockets: 0, worst: null, destinations: [], destinationCount: 0 }),
};
const timedOut: NamespaceSample = { identity: identity(4026532303, ['slow']), status: 'timeout', error: 'no answer within 5000 ms', sample: null };

describe('the host-wide summary of each namespace', () => {
  it('gives a socket count only where a socket table was read (null, not 0, elsewhere)', () => {
    expect([read, unread, timedOut].map((n) => summarizeNamespace(n).totalSockets)).toEqual([2, null, null]);
  });

  it('shows "—" in the SOCKETS column of a namespace whose sockets are unknown', () => {
    const host = { schema: 1 as const, time: T0, hostname: 'n', scope: 'host' as const, namespaces: [read, unread, timedOut], vanished: 0, worst: read.identity.id, severity: 'ok' as const, cost: { wallMs: 1, cpuMs: 1 } };
    const rows = plainText(hostReportLines(host, null)).split('\n');
    const socketsOf = (name: string) => rows.find((l) => l.includes(`netns ${name}`))!.slice(2 + 10 + 12, 2 + 10 + 12 + 7).trim();
    expect(['read', 'unread', 'slow'].map(socketsOf)).toEqual(['2', '—', '—']);
  });
});

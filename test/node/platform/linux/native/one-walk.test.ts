// readNetns reads both families' sockets from one walk of the kernel's tables (the legacy
// TCPDIAG_GETSOCK request, served with family AF_UNSPEC) and splits it into what the IPv4 and the IPv6
// SOCK_DIAG_BY_FAMILY dumps return. Proved on the real kernel, in a namespace holding every kind of
// socket a family split could get wrong (IPv4 and IPv6 listeners, bound-only sockets of both families, a
// dual-stack IPv6 socket connected to an IPv4 address, established pairs of both): strace sees exactly
// one netlink request from readNetns, a TCPDIAG_GETSOCK, and its two parts hold, message for message,
// the bytes of the two v2 dumps made by dumpTcp in the same namespace (only nlmsg_pid differs: it is the
// port id of the netlink socket that asked). With PORTWATCH_SOCK_DIAG_ONE_WALK=0 it makes those two
// dumps itself, as it does when a kernel refuses the legacy request: same result.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TCP_STATE } from '../../../../../electron/common/tcp-state.js';
import { ALL_TCP_STATES_MASK } from '../../../../../electron/node/platform/linux/sockets.js';
import { parseInetDiag } from '../../../../../electron/node/platform/parse/inet-diag.js';
import { describeNetns } from '../../../../netns/describe-netns.js';
import { createNamespace, type Namespace, type NsProcess } from '../../../../netns/netns.js';

const ADDON = fileURLToPath(new URL('../../../../../build/Release/sock_diag.node', import.meta.url));
const STRACE = ['/usr/bin/strace', '/bin/strace'].find((p) => existsSync(p));

// Holds: an IPv4 and an IPv6 listener, an IPv4 and an IPv6 socket bound only, 503 IPv4 pairs and 101
// IPv6 pairs established (so the walk spans several 32 KiB receives), a dual-stack IPv6 socket
// connected to the IPv4 listener (its accepted end is IPv4), and 20 IPv4 and 10 IPv6 TIME-WAIT sockets.
const HOLDER = `
import resource, socket, time
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
keep = []
def s(family):
    x = socket.socket(family, socket.SOCK_STREAM); keep.append(x); return x
l4 = s(socket.AF_INET); l4.bind(('127.0.0.1', 7001)); l4.listen(64)
l6 = s(socket.AF_INET6); l6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1); l6.bind(('::1', 7002)); l6.listen(64)
s(socket.AF_INET).bind(('127.0.0.1', 7003))
s(socket.AF_INET6).bind(('::', 7004))
for i in range(503):
    s(socket.AF_INET).connect(('127.0.0.1', 7001)); keep.append(l4.accept()[0])
for i in range(101):
    s(socket.AF_INET6).connect(('::1', 7002)); keep.append(l6.accept()[0])
s(socket.AF_INET6).connect(('::ffff:127.0.0.1', 7001)); keep.append(l4.accept()[0])
# TIME-WAIT: 20 IPv4 and 10 IPv6 connections closed by the client first
for family, addr, listener in [(socket.AF_INET, ('127.0.0.1', 7001), l4)] * 20 + [(socket.AF_INET6, ('::1', 7002), l6)] * 10:
    c = socket.socket(family, socket.SOCK_STREAM); c.connect(addr); a = listener.accept()[0]
    c.close(); time.sleep(0.01); a.close()
time.sleep(0.5)
print('ready', flush=True)
time.sleep(300)  # bounded; the namespace's destroy() ends it sooner
`;

// Runs inside the namespace: readNetns of its own namespace, then the two v2 dumps; prints all three.
const READER = `
const keep = setInterval(() => {}, 1000); // readNetns settles through a thread-safe function that does not hold the loop
const addon = require(process.argv[2]);
const mask = Number(process.argv[3]);
(async () => {
  const buf = await addon.readNetns('/proc/self/ns/net', mask, [], 10000);
  const parts = [];
  for (let at = 0; at + 8 <= buf.length; ) {
    const errno = buf.readInt32LE(at), len = buf.readUInt32LE(at + 4);
    parts.push({ errno, data: buf.subarray(at + 8, at + 8 + len).toString('base64') });
    at += 8 + len;
  }
  process.stdout.write('MARK v2 dumps\\n'); // strace lines after this one are dumpTcp's
  const v4 = await addon.dumpTcp(4, mask), v6 = await addon.dumpTcp(6, mask);
  console.log(JSON.stringify({ parts, v4: v4.toString('base64'), v6: v6.toString('base64') }));
  clearInterval(keep);
})();
`;

const canRun = existsSync(ADDON) && STRACE !== undefined;
// .ci/run builds the addon and installs strace: there, missing either is a failure, not a skip
if (!canRun && process.env.CI === 'true') throw new Error(`one-walk test cannot run: ${existsSync(ADDON) ? 'strace is not installed' : `${ADDON} is not built`}`);

/**
 * The messages of a dump, each with nlmsg_pid (bytes 12-15) zeroed, and idiag_expires (bytes 68-71: a
 * TIME-WAIT socket's time left, in ms, which moves between two reads); with their types.
 */
function messages(data: Buffer): { types: number[]; bytes: string[] } {
  const types: number[] = [];
  const bytes: string[] = [];
  for (let at = 0; at + 16 <= data.length; ) {
    const len = data.readUInt32LE(at);
    if (len < 16) throw new Error(`message of length ${len} at ${at}`);
    const m = Buffer.from(data.subarray(at, at + len));
    m.writeUInt32LE(0, 12);
    if (m.readUInt16LE(4) === 20 && len >= 72) m.writeUInt32LE(0, 68);
    types.push(m.readUInt16LE(4));
    bytes.push(m.toString('hex'));
    at += (len + 3) & ~3;
  }
  return { types, bytes };
}

describeNetns('readNetns: both families from one walk of the kernel tables (real kernel)', () => {
  let ns: Namespace;
  let holder: NsProcess;
  let dir: string;

  beforeAll(async () => {
    if (!canRun) return;
    ns = await createNamespace('onewalk');
    dir = mkdtempSync(join(tmpdir(), 'pw-one-walk-'));
    writeFileSync(join(dir, 'holder.py'), HOLDER);
    writeFileSync(join(dir, 'reader.cjs'), READER);
    holder = ns.spawn(['python3', join(dir, 'holder.py')]);
    await holder.waitForLine(/^ready$/, 20_000);
  }, 60_000);
  afterAll(async () => {
    await ns?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the reader in the namespace under strace: its output, and the netlink requests of readNetns and of the two dumpTcp. */
  async function readTraced(env: NodeJS.ProcessEnv = {}): Promise<{ out: { parts: { errno: number; data: string }[]; v4: string; v6: string }; readNetnsRequests: string[]; dumpRequests: string[] }> {
    const trace = join(dir, 'strace.txt');
    const r = await ns.execOrThrow([STRACE!, '-f', '-e', 'trace=sendto,write', '-e', 'signal=none', '-o', trace, process.execPath, join(dir, 'reader.cjs'), ADDON, String(ALL_TCP_STATES_MASK)], { timeoutMs: 60_000, env: { ...process.env, ...env } });
    const out = JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('{'))!) as { parts: { errno: number; data: string }[]; v4: string; v6: string };
    // the netlink requests, before and after the reader's mark
    const lines = readFileSync(trace, 'utf8').split('\n');
    const mark = lines.findIndex((l) => l.includes('MARK v2 dumps'));
    expect(mark).toBeGreaterThan(0);
    const requests = (from: number, to: number): string[] =>
      lines.slice(from, to).flatMap((l) => [...l.matchAll(/nlmsg_type=(0x12|0x14|TCPDIAG_GETSOCK|SOCK_DIAG_BY_FAMILY)/g)].map((m) => m[1]!));
    return { out, readNetnsRequests: requests(0, mark), dumpRequests: requests(mark, lines.length) };
  }

  const legacy = (t: string): boolean => t === '0x12' || t === 'TCPDIAG_GETSOCK';

  it.runIf(canRun)('asks the kernel once (TCPDIAG_GETSOCK) and returns, byte for byte, the two SOCK_DIAG_BY_FAMILY dumps', async () => {
    const { out, readNetnsRequests, dumpRequests } = await readTraced();
    expect(readNetnsRequests).toHaveLength(1);
    expect(legacy(readNetnsRequests[0]!)).toBe(true);
    expect(dumpRequests).toHaveLength(2);
    expect(dumpRequests.some(legacy)).toBe(false);
    expectTheTwoDumps(out);
  }, 90_000);

  it.runIf(canRun)('makes the two SOCK_DIAG_BY_FAMILY dumps instead with PORTWATCH_SOCK_DIAG_ONE_WALK=0 (the fallback), with the same result', async () => {
    const { out, readNetnsRequests } = await readTraced({ PORTWATCH_SOCK_DIAG_ONE_WALK: '0' });
    expect(readNetnsRequests).toHaveLength(2);
    expect(readNetnsRequests.some(legacy)).toBe(false);
    expectTheTwoDumps(out);
  }, 90_000);

  /** readNetns's two parts are dumpTcp(4)'s and dumpTcp(6)'s messages, and hold this namespace's sockets. */
  function expectTheTwoDumps(out: { parts: { errno: number; data: string }[]; v4: string; v6: string }): void {
    expect(out.parts.map((p) => p.errno)).toEqual([0, 0]);
    const fromWalk = out.parts.map((p) => messages(Buffer.from(p.data, 'base64')));
    const fromDumps = [out.v4, out.v6].map((d) => messages(Buffer.from(d, 'base64')));
    for (const f of [0, 1]) {
      // every message as a v2 dump's: SOCK_DIAG_BY_FAMILY (20), then NLMSG_DONE (3)
      expect(new Set(fromWalk[f]!.types)).toEqual(new Set([20, 3]));
      expect(fromWalk[f]!.bytes).toEqual(fromDumps[f]!.bytes);
    }

    // and what they hold: this namespace's sockets, each family in its own part
    const v4 = parseInetDiag([Buffer.from(out.parts[0]!.data, 'base64')]);
    const v6 = parseInetDiag([Buffer.from(out.parts[1]!.data, 'base64')]);
    expect(v4.problems).toEqual([]);
    expect(v6.problems).toEqual([]);
    // IPv4: listener, bound-only, 503 pairs (1,006), the accepted end of the dual-stack connect, 20 TIME-WAIT
    expect(v4.table.count).toBe(1029);
    // IPv6: listener, bound-only, 101 pairs (202), the dual-stack socket connected to 127.0.0.1, 10 TIME-WAIT
    expect(v6.table.count).toBe(215);
    const timeWait = (t: typeof v4.table): number => t.state.filter((x) => x === TCP_STATE.TIME_WAIT).length;
    expect([timeWait(v4.table), timeWait(v6.table)]).toEqual([20, 10]);
    // the IPv4 part alone is several receives' worth (32 KiB each)
    expect(Buffer.from(out.parts[0]!.data, 'base64').length).toBeGreaterThan(64 * 1024);
  }
});

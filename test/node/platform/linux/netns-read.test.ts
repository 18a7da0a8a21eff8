// A namespace that hangs costs its timeout, not the whole sample (real kernel). Between enumeration and
// reading, the bind-mounted namespace files of some namespaces are unmounted and replaced by FIFOs: the
// reader's open() of a FIFO blocks in the kernel until a writer comes, which is a real hang that nothing
// can interrupt. More of them than the libuv pool has threads, so a reader that parked a pool thread per
// hang would starve fs.promises (and the next sample) for good. The sample must come back with those
// namespaces as "timeout" and the healthy one read, while the hung threads are still blocked (proved by
// the kernel: a non-blocking open for writing succeeds only while a reader waits), and the next sample
// must neither wait for them again nor start new threads for them.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readHost, type HostRead } from '../../../../electron/node/platform/linux/host-read.js';
import { readNamespace, unfinishedReads } from '../../../../electron/node/platform/linux/netns-read.js';
import { loadSockDiag, netnsAddon } from '../../../../electron/node/platform/linux/native/load.js';
import { describeNetns } from '../../../netns/describe-netns.js';

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error?.message || `exit ${r.status}`}`);
}

/** Threads of this process blocked opening a FIFO (the kernel's wait_for_partner). */
function threadsWaitingOnFifo(): number {
  let n = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      if (readFileSync(`/proc/self/task/${tid}/wchan`, 'utf8') === 'wait_for_partner') n++;
    } catch {
      // thread ended meanwhile
    }
  }
  return n;
}

/** True while some reader is blocked in open() on the FIFO (O_NONBLOCK|O_WRONLY fails with ENXIO otherwise). */
function readerWaiting(fifo: string): boolean {
  try {
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENXIO') return false;
    throw err;
  }
}

describeNetns('a namespace that hangs costs its timeout, not the whole sample (real kernel)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netns4-hang-'));
  const runNetns = join(dir, 'netns');
  // one more hung namespace than the libuv pool has threads
  const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const hungNames = Array.from({ length: poolSize + 1 }, (_, i) => `netns4-hang-${i}`);
  const healthy = 'netns4-ok';
  const fifos = hungNames.map((n) => join(runNetns, n));
  let healthyInode = 0;
  const hungInodes: number[] = [];
  
  beforeAll(() => {
    run('mkdir', ['-p', runNetns]);
    for (const name of [healthy, ...hungNames]) {
      const file = join(runNetns, name);
      writeFileSync(file, '');
      // a persistent namespace bind-mounted on the file, as `ip netns add` does under /run/netns
      run('unshare', [`--net=${file}`, 'true']);
    }
    healthyInode = statSync(join(runNetns, healthy)).ino;
    for (const f of fifos) hungInodes.push(statSync(f).ino);
  });

  afterAll(() => {
    // let any reader still blocked go (it then finds no namespace behind the FIFO and ends)
    for (const f of fifos) {
      try {
        readerWaiting(f);
      } catch {
        // gone already
      }
    }
    spawnSync('umount', [join(runNetns, healthy)]);
    for (const f of fifos) spawnSync('umount', [f]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the hung namespaces as timeout after their timeout, reads the others, and leaves the pool free', async () => {
    const timeoutMs = 1000;
    const first: HostRead = await readHost({
      netnsRoots: { proc: '/proc', runNetns },
      owners: false,
      timeoutMs,
      afterEnumerate: async () => {
        // swap the namespace files for FIFOs: the path still names the namespace enumeration found,
        // but opening it now blocks
        for (const f of fifos) {
          run('umount', [f]);
          rmSync(f);
          run('mkfifo', [f]);
        }
      },
    });
    const byInode = new Map(first.namespaces.map((n) => [n.identity.inode, n]));
    for (const inode of hungInodes) {
      const n = byInode.get(inode);
      expect(n?.status, `namespace net:[${inode}]`).toBe('timeout');
      expect(n?.error).toMatch(/no answer within 1000 ms/);
    }
    expect(byInode.get(healthyInode)?.status).toBe('ok');
    expect(byInode.get(healthyInode)?.raw?.sources.find((s) => s.name === 'net.ipv4.ip_local_port_range')?.status).toBe('ok');
    // the sample is back while every hung read is still blocked in the kernel
    expect(fifos.filter((f) => unfinishedReads().includes(f))).toEqual(fifos);
    expect(threadsWaitingOnFifo()).toBe(fifos.length);
    // the libuv pool is not held by them: fs.promises still answers
    expect((await readFile('/proc/self/stat', 'utf8')).length).toBeGreaterThan(0);
  });

  it('does not wait for a namespace again while its earlier read is still hung, and tries its next path', async () => {
    const addon = netnsAddon(loadSockDiag());
    if (!addon) throw new Error('the sock_diag addon has no readNetns');
    const threads = threadsWaitingOnFifo();
    // with a 60 s timeout, reading the hung path again would outlast the test's own timeout
    const again = readNamespace(addon, hungInodes[0]!, [fifos[0]!], 60_000, null);
    await expect(again).rejects.toMatchObject({ kind: 'timeout', stillHung: true });
    await expect(again).rejects.toThrow(/still no answer from a read started \d+ s ago/);
    // the namespace's next path is read instead, at no cost
    const raw = await readNamespace(addon, healthyInode, [fifos[0]!, join(runNetns, healthy)], 60_000, null);
    expect(raw.sources.find((s) => s.name === 'netns')?.data?.toString()).toBe(`net:[${healthyInode}]`);
    expect(threadsWaitingOnFifo()).toBe(threads);
  });

  it('reads one namespace for two callers at once (a second sampler in the process is not told "still no answer")', async () => {
    const addon = netnsAddon(loadSockDiag());
    if (!addon) throw new Error('the sock_diag addon has no readNetns');
    const path = join(runNetns, healthy);
    const both = await Promise.all([readNamespace(addon, healthyInode, [path], 10_000, null), readNamespace(addon, healthyInode, [path], 10_000, null)]);
    for (const raw of both) expect(raw.sources.find((s) => s.name === 'net.ipv4.ip_local_port_range')?.status).toBe('ok');
    expect(unfinishedReads()).not.toContain(path);
  });

  it('lets a hung read end when its open finally returns', async () => {
    for (const f of fifos) expect(readerWaiting(f)).toBe(true);
    // each released open finds a FIFO, not a namespace: setns refuses it and the thread ends
    for (let i = 0; i < 100 && unfinishedReads().some((p) => fifos.includes(p)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(unfinishedReads().filter((p) => fifos.includes(p))).toEqual([]);
    expect(threadsWaitingOnFifo()).toBe(0);
  });
});

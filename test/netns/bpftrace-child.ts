// Finds the bpftrace a Portwatch process started and tells when its probes are attached, from outside:
// bpftrace holds one perf_event file per attached probe (connect-failures.bt has 4, syscall-failures.bt 6), so a test can make
// its failures happen after the tracer is really listening instead of after a guessed delay.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Pids of the bpftrace processes whose parent is `parent`. */
export function bpftraceChildren(parent: number): number[] {
  const found: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      if (comm === 'bpftrace' && ppid === parent) found.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** The number of perf_event files a process holds (0 when it is gone). */
export function perfEventFiles(pid: number): number {
  let n = 0;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === 'anon_inode:[perf_event]') n++;
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return 0;
  }
  return n;
}

/** Resolves with the pid of parent's bpftrace once it holds `probes` perf events; rejects after timeoutMs. */
export async function waitForAttachedBpftrace(parent: number, timeoutMs: number, probes = 4): Promise<number> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const pid of bpftraceChildren(parent)) if (perfEventFiles(pid) >= probes) return pid;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no bpftrace child of ${parent} attached its ${probes} probes within ${timeoutMs} ms`);
}

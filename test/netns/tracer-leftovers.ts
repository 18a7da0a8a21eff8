// What a running bpftrace leaves in the kernel, for tests that prove the failure tracer is stopped without
// leftovers (its processes: bpftrace-child.ts): the eBPF programs it loaded
// (by id, asked of the kernel itself with bpf(BPF_PROG_GET_FD_BY_ID)) and the tracefs state (probe
// definitions, enabled events) that a tracer could leave behind.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The ids of the eBPF programs a process holds open (from /proc/PID/fdinfo). */
export function bpfProgramIds(pid: number): number[] {
  const ids = new Set<number>();
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      const m = /^prog_id:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      if (m) ids.add(Number(m[1]));
    } catch {
      // closed meanwhile
    }
  }
  return [...ids];
}

// bpf(BPF_PROG_GET_FD_BY_ID = 13, {prog_id}) through libc: an fd when the kernel still has the program, ENOENT when it freed it.
const PROG_EXISTS = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
for a in sys.argv[1:]:
    attr = (ctypes.c_uint32 * 32)(); attr[0] = int(a)
    fd = libc.syscall(321, 13, ctypes.byref(attr), ctypes.sizeof(attr))
    if fd >= 0: os.close(fd); print(a, 'loaded')
    else: print(a, 'gone' if ctypes.get_errno() == 2 else 'errno%d' % ctypes.get_errno())
`;

/** For each program id: "loaded", "gone", or the errno the kernel answered (x86_64, root). */
export function bpfProgramState(ids: readonly number[]): Record<number, string> {
  const r = spawnSync('python3', ['-c', PROG_EXISTS, ...ids.map(String)], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`python3 bpf probe failed: ${r.stderr || r.error?.message}`);
  return Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split(' ') as [string, string]).map(([id, st]) => [Number(id), st]));
}

const TRACEFS = '/sys/kernel/tracing';
const STATE_FILES = ['kprobe_events', 'uprobe_events', 'dynamic_events', 'set_event', ...['sys_enter_connect', 'sys_exit_connect', 'sys_enter_bind', 'sys_exit_bind'].map((e) => `events/syscalls/${e}/enable`), 'events/sock/inet_sock_set_state/enable'];

/** The tracefs files where probes and enabled events show, by name. */
export function tracefsState(): Record<string, string> {
  return Object.fromEntries(
    STATE_FILES.map((f) => {
      try {
        return [f, readFileSync(`${TRACEFS}/${f}`, 'utf8')];
      } catch (e) {
        return [f, `unreadable: ${(e as NodeJS.ErrnoException).code}`];
      }
    }),
  );
}

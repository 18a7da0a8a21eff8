// A copy of the procfs files the Linux backend reads, in a temporary directory, so a test can break
// one of them at a time (remove it, lock it, replace it with a FIFO that never answers).
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fullFileSources, sysctlPath, DEFAULT_LINUX_PATHS } from '../../../../electron/node/platform/linux/file-sources.js';

/** The file sources (by name) and the real file each is read from. */
export function fileSourcePaths(proc: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of fullFileSources({ proc })) {
    if (s.name === 'hostname' || s.name === 'netns') continue;
    out.set(s.name, s.what);
  }
  return out;
}

/** Copies every readable source file into a fresh directory laid out like /proc. */
export function makeFakeProc(): string {
  const root = mkdtempSync(join(tmpdir(), 'pw-proc-'));
  chmodSync(root, 0o755);
  const real = fileSourcePaths(DEFAULT_LINUX_PATHS.proc);
  const fake = fileSourcePaths(root);
  for (const [name, from] of real) {
    const to = fake.get(name)!;
    mkdirSync(dirname(to), { recursive: true, mode: 0o755 });
    try {
      writeFileSync(to, readFileSync(from)); // procfs files report size 0: copy by reading
    } catch {
      // Optional sources (conntrack) may be absent here too.
    }
  }
  mkdirSync(join(root, 'self', 'ns'), { recursive: true });
  symlinkSync(readlinkSync('/proc/self/ns/net'), join(root, 'self', 'ns', 'net'));
  return root;
}

export { sysctlPath };

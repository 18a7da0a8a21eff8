// The state a helper transaction may change, read from outside: the namespace's live values, the drop-in
// file, the journal and leftover temporary files. "Fully old or fully new" is a comparison of two Worlds.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Namespace } from '../netns/netns.js';
import type { TestRoot } from './helper-process.js';

/** What a test compares. */
export interface World {
  range: string;
  reserved: string;
  twReuse: string;
  /** The drop-in's bytes, null when absent. */
  dropIn: string | null;
}

/** Reads the World of a namespace and a test root. */
export async function readWorld(ns: Namespace, root: TestRoot): Promise<World> {
  return {
    range: await ns.readSysctl('net.ipv4.ip_local_port_range'),
    reserved: await ns.readSysctl('net.ipv4.ip_local_reserved_ports'),
    twReuse: await ns.readSysctl('net.ipv4.tcp_tw_reuse'),
    dropIn: await readFile(root.dropIn, 'utf8').catch(() => null),
  };
}

/** Leftovers that a finished transaction must not leave: the active journal, temporary files. */
export async function leftovers(root: TestRoot): Promise<string[]> {
  const out: string[] = [];
  const list = async (dir: string) => readdir(dir).catch(() => [] as string[]);
  for (const n of await list(root.stateDir)) if (n === 'journal.json' || n.includes('portwatch-tmp')) out.push(join(root.stateDir, n));
  for (const n of await list(dirname(root.dropIn))) if (n.includes('portwatch-tmp')) out.push(join(dirname(root.dropIn), n));
  return out;
}

/** Bytes and mtimes of every file under the test root (to prove that nothing was written). */
export async function fingerprint(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out.set(`${p}/`, String((await stat(p)).mtimeMs));
        await walk(p);
      } else {
        const s = await stat(p);
        out.set(p, `${s.mtimeMs}:${s.size}:${(await readFile(p)).toString('base64')}`);
      }
    }
  };
  await walk(dir);
  return out;
}

/** Puts a namespace back to the given live values and removes the drop-in and journal (between runs). */
export async function resetWorld(ns: Namespace, root: TestRoot, w: World): Promise<void> {
  // Range first, then reserved: the order that never exposes a reserved port. A newline clears the list.
  const script =
    "const fs = require('fs'); const w = JSON.parse(process.argv[1]);" +
    "fs.writeFileSync('/proc/sys/net/ipv4/ip_local_port_range', w.range + '\\n');" +
    "fs.writeFileSync('/proc/sys/net/ipv4/ip_local_reserved_ports', w.reserved + '\\n');" +
    "fs.writeFileSync('/proc/sys/net/ipv4/tcp_tw_reuse', w.twReuse + '\\n');";
  await ns.execOrThrow([process.execPath, '-e', script, JSON.stringify(w)]);
  await rm(root.dropIn, { force: true });
  await rm(root.stateDir, { recursive: true, force: true });
}

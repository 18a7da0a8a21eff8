// Reads the socket table the way the Linux backend does, from inside a network namespace (a process
// cannot switch its own namespace, so tests run this with `ip netns exec NS node --import tsx ...`).
//   --json [--fallback] [--no-owners]  print the raw source statuses and the parsed rows as one JSON line
//   --capture DIR                       write every raw socket source, byte for byte, into DIR
//   --mask HEX                          one raw dump per family with this state mask, parsed rows as JSON
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { tcpStateName } from '../../../../electron/common/tcp-state.js';
import { parseSocketSources, readSocketSources } from '../../../../electron/node/platform/linux/sockets.js';
import { loadSockDiag } from '../../../../electron/node/platform/linux/native/load.js';
import { parseInetDiag } from '../../../../electron/node/platform/parse/inet-diag.js';
import { socketRow } from '../../../../electron/node/platform/socket-table.js';
import type { RawSource, SocketTable } from '../../../../electron/node/platform/types.js';

/** A parsed row as the reader prints it. */
export interface ReaderRow {
  family: 4 | 6;
  state: string;
  local: string;
  localPort: number;
  remote: string;
  remotePort: number;
  inode: number;
  pid: number;
  timeWaitAgeMs: number;
}

/** What `--json` prints. */
export interface ReaderOutput {
  sources: { name: string; status: string; error?: string; bytes: number }[];
  rows: ReaderRow[];
  problems: string[];
  processNames: [number, string][];
}

/** Row i of a table in the reader's shape (state by name, addresses as text). */
export function readerRow(t: SocketTable, i: number): ReaderRow {
  const r = socketRow(t, i);
  return {
    family: r.family,
    state: tcpStateName(r.state) ?? String(r.state),
    local: r.localAddr,
    localPort: r.localPort,
    remote: r.remoteAddr,
    remotePort: r.remotePort,
    inode: r.inode,
    pid: r.pid,
    timeWaitAgeMs: r.timeWaitAgeMs,
  };
}

/** The file name a raw socket source is captured under (binary dumps .bin, text .txt). */
export function captureFileName(name: string): string {
  return name.startsWith('tcp-diag-') ? `${name}.bin` : `${name}.txt`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      capture: { type: 'string' },
      fallback: { type: 'boolean', default: false },
      'no-owners': { type: 'boolean', default: false },
      mask: { type: 'string' },
    },
  });
  const owners = !values['no-owners'];
  if (values.mask !== undefined) {
    const addon = loadSockDiag();
    if ('unavailable' in addon) throw new Error(addon.unavailable);
    const mask = Number.parseInt(values.mask, 16);
    const dumps = await Promise.all(([4, 6] as const).map((f) => addon.dumpTcp(f, mask)));
    const { table, problems } = parseInetDiag(dumps);
    const rows = Array.from({ length: table.count }, (_, i) => readerRow(table, i));
    process.stdout.write(`${JSON.stringify({ rows, problems })}\n`);
    return;
  }
  if (values.capture !== undefined) {
    const dir = values.capture;
    const diag = await readSocketSources({ owners: true, timeoutMs: 10_000 });
    const proc = await readSocketSources({ owners: false, timeoutMs: 10_000, addon: { unavailable: 'capture of the fallback' } });
    const all: RawSource[] = [...diag, ...proc].filter((s) => s.data !== undefined);
    for (const s of all) writeFileSync(join(dir, captureFileName(s.name)), s.data!);
    process.stdout.write(`${JSON.stringify({ captured: all.map((s) => s.name) })}\n`);
    return;
  }
  const sources = await readSocketSources({
    owners,
    timeoutMs: 10_000,
    ...(values.fallback ? { addon: { unavailable: 'fallback requested' } } : {}),
  });
  const parsed = parseSocketSources(sources);
  const rows: ReaderRow[] = [];
  const t = parsed.table;
  for (let i = 0; t && i < t.count; i++) rows.push(readerRow(t, i));
  const out: ReaderOutput = {
    sources: sources.map((s) => ({ name: s.name, status: s.status, ...(s.error ? { error: s.error } : {}), bytes: s.data?.length ?? 0 })),
    rows,
    problems: parsed.problems,
    processNames: [...parsed.processNames],
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(2);
  });
}

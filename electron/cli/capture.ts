// `portwatch capture --out DIR`: saves every raw source exactly as read (N reads, default 2, one second
// apart so that rates can be computed offline) plus a manifest. See README "Capture bundles".
import { setTimeout as sleep } from 'node:timers/promises';
import { readdir } from 'node:fs/promises';
import { writeBundle } from '../node/capture/bundle.js';
import { createBackend } from '../node/platform/index.js';
import type { RawSnapshot } from '../node/platform/types.js';
import { EXIT } from './exit-codes.js';
import { terminalSafeIo } from './terminal-io.js';
import { parseCommandArgs, type Io } from './args.js';
import { parseSeconds, parseWhole } from './args.js';
import { startProgress } from './progress.js';
import { fitHelp } from '../common/help-text.js';

const OPTIONS = {
  out: { type: 'string' },
  reads: { type: 'string' },
  interval: { type: 'string' },
  'no-owners': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: portwatch capture --out DIR [--reads N] [--interval SEC] [--no-owners]
  --out DIR        where to write (created; must be empty if it exists)
  --reads N        how many reads to save (default 2, 1..100)
  --interval SEC   seconds between reads (default 1)
  --no-owners      do not save the socket → process table
`;

export async function runCapture(args: string[], rawIo: Io, portwatchVersion: string): Promise<number> {
  const io = terminalSafeIo(rawIo);
  const v = parseCommandArgs('capture', args, OPTIONS, io);
  if (!v) return EXIT.usage;
  if (v.help) {
    io.stdout.write(fitHelp(HELP));
    return EXIT.ok;
  }
  if (!v.out) {
    io.stderr.write('portwatch capture: --out DIR is required\n');
    return EXIT.usage;
  }
  const reads = parseWhole(v.reads, 2, '--reads', 1, 100);
  const interval = parseSeconds(v.interval, 1, '--interval', 0, 3600);
  for (const bad of [reads, interval]) {
    if (typeof bad === 'string') {
      io.stderr.write(`portwatch capture: ${bad}\n`);
      return EXIT.usage;
    }
  }
  const existing = await readdir(v.out).catch(() => []);
  if (existing.length > 0) {
    io.stderr.write(`portwatch capture: ${v.out} is not empty; choose a new directory\n`);
    return EXIT.usage;
  }
  const backend = createBackend(process.platform, { owners: !v['no-owners'] });
  const raws: RawSnapshot[] = [];
  const total = reads as number;
  // On a terminal only (progress.ts): which read is under way, and the wait before the next one.
  let manifest: Awaited<ReturnType<typeof writeBundle>>;
  const progress = startProgress(rawIo.stderr, `read 1 of ${total}…`);
  try {
    for (let i = 0; i < total; i++) {
      if (i > 0) {
        progress.update(`waiting ${interval as number} s before read ${i + 1} of ${total}…`);
        await sleep((interval as number) * 1000);
      }
      progress.update(`read ${i + 1} of ${total}…`);
      raws.push(await backend.readAll());
    }
    progress.update(`writing ${v.out}…`);
    manifest = await writeBundle(v.out, raws, `portwatch ${portwatchVersion}`);
  } finally {
    progress.done();
    await backend.close?.();
  }
  const files = manifest.reads.reduce((n, r) => n + r.sources.filter((s) => s.bytes !== undefined).length, 0);
  const failed = manifest.reads.flatMap((r) => r.sources.filter((s) => s.status !== 'ok').map((s) => `${s.name} ${s.status}`));
  io.stdout.write(
    `Captured ${manifest.reads.length} read(s), ${files} files, into ${v.out}` +
      (failed.length ? ` (not ok: ${[...new Set(failed)].join(', ')})` : '') +
      `\nAnalyse anywhere with: portwatch check --bundle ${v.out}\n`,
  );
  return EXIT.ok;
}

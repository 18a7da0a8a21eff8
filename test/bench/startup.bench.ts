// CLI start-up against plain Node in the same run: `portwatch --version` and `portwatch check
// --interval 0 --no-owners --netns self` (one sample of this machine) as ratios to `node -e 0`. Goal:
// within 1.3× (the CLI loads only what its command needs). Runs the built CLI (npm run build:node).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../out/node/electron/cli/portwatch.js', import.meta.url));
const RUNS = Number(process.env.PW_BENCH_RUNS) > 0 ? Number(process.env.PW_BENCH_RUNS) : 15;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time of a command, interleaved run by run with the others so all see the same load. */
function timeAll(commands: Record<string, string[]>): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, argv] of Object.entries(commands)) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, argv, { stdio: 'ignore', timeout: 30_000 });
      if (r.error) throw r.error;
      times[name]!.push(performance.now() - t0);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

if (!existsSync(CLI)) {
  console.log(`skipped: ${CLI} is not built (npm run build:node)`);
} else {
  const t = timeAll({
    'node -e 0': ['-e', '0'],
    'portwatch --version': [CLI, '--version'],
    'portwatch check --interval 0': [CLI, 'check', '--interval', '0', '--no-owners', '--netns', 'self'],
  });
  const base = t['node -e 0']!;
  console.log(`| command | median ms | × node -e 0 (goal ≤ 1.3) |\n|---|---:|---:|`);
  for (const [k, v] of Object.entries(t)) console.log(`| ${k} | ${v.toFixed(0)} | ${(v / base).toFixed(2)} |`);
}

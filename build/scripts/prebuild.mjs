// Builds the sock_diag addon for every Linux architecture Portwatch ships prebuilt (x64 natively, arm64 with
// Debian's cross compiler aarch64-linux-gnu-gcc), into prebuilds/linux-<arch>/sock_diag.napi.node, the
// layout node-gyp-build and prebuildify use. N-API only, so one file per architecture serves every Node
// and Electron version; Node's headers are the same for both architectures.
// Each build runs in a scratch directory: node-gyp writes ./build, which is electron-builder's folder here.
//   node build/scripts/prebuild.mjs [x64] [arm64]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE = 'electron/node/platform/linux/native/sock_diag.c';
/** What each architecture is built with; CC/CXX are the compilers, elf the machine readelf must report. */
const TARGETS = {
  x64: { env: {}, elf: 'X86-64' },
  arm64: { env: { CC: 'aarch64-linux-gnu-gcc', CXX: 'aarch64-linux-gnu-g++', LINK: 'aarch64-linux-gnu-g++', AR: 'aarch64-linux-gnu-ar' }, elf: 'AArch64' },
};

const gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
// The running Node's own headers (<prefix>/include/node, as Debian's nodejs and Node's tarballs install
// them), so nothing is downloaded; npm's nodedir setting wins when set.
const prefix = dirname(dirname(process.execPath));
const nodedir = process.env.npm_config_nodedir || (existsSync(join(prefix, 'include/node/node_api.h')) ? prefix : null);
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(TARGETS);
let failed = 0;
for (const arch of wanted) {
  const t = TARGETS[arch];
  if (!t) {
    console.error(`prebuild: unknown architecture ${JSON.stringify(arch)} (known: ${Object.keys(TARGETS).join(', ')})`);
    process.exit(64);
  }
  const work = mkdtempSync(join(tmpdir(), `pw-prebuild-${arch}-`));
  try {
    mkdirSync(join(work, dirname(SOURCE)), { recursive: true });
    copyFileSync(join(root, 'binding.gyp'), join(work, 'binding.gyp'));
    copyFileSync(join(root, SOURCE), join(work, SOURCE));
    const run = spawnSync(process.execPath, [gyp, 'configure', 'build', `--arch=${arch}`, ...(nodedir ? [`--nodedir=${nodedir}`] : [])], { cwd: work, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...t.env } });
    if (run.status !== 0) throw new Error(`node-gyp failed for ${arch} (${run.error?.message ?? `exit status ${run.status}`})`);
    const built = join(work, 'build/Release/sock_diag.node');
    const header = spawnSync('readelf', ['-h', built], { encoding: 'utf8' }).stdout ?? '';
    const machine = /Machine:\s*(.*)/.exec(header)?.[1]?.trim() ?? 'unknown';
    if (!machine.includes(t.elf)) throw new Error(`${arch}: the build is not ${t.elf} code (readelf says ${machine})`);
    const dest = join(root, 'prebuilds', `linux-${arch}`, 'sock_diag.napi.node');
    mkdirSync(dirname(dest), { recursive: true });
    // Beside its final name, then renamed: a reader (npm pack, a test) never sees a half-written file.
    const tmp = `${dest}.${process.pid}.tmp`;
    copyFileSync(built, tmp);
    renameSync(tmp, dest);
    console.log(`prebuild: ${dest.slice(root.length + 1)} (${machine})`);
  } catch (err) {
    failed++;
    console.error(`prebuild: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
process.exit(failed > 0 ? 1 : 0);

// npm "install" hook (package.json scripts.install) for the sock_diag addon on Linux, in node-gyp-build's
// order: a prebuilt addon for this architecture (prebuilds/linux-<arch>/, shipped in the npm package) that
// loads is used as is, so installing needs no compiler; otherwise it is built with `node-gyp configure build`
// — deliberately not `node-gyp rebuild` (npm's default when a binding.gyp is present), whose clean step
// deletes the whole build/ folder where electron-builder keeps its resources. A source checkout always
// builds (its prebuilds/ may be stale). When neither works, `npm install` still succeeds (except in CI,
// CI=true) and Portwatch reads /proc/net/tcp, saying why in its sources.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.platform !== 'linux') process.exit(0);

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const sourceCheckout = existsSync(join(root, 'electron/node/platform/linux/native/load.ts'));
const prebuilt = join(root, 'prebuilds', `linux-${process.arch}`, 'sock_diag.napi.node');

let prebuiltProblem = `no prebuilt addon for linux-${process.arch}`;
if (!sourceCheckout && existsSync(prebuilt)) {
  try {
    const addon = createRequire(import.meta.url)(prebuilt);
    if (typeof addon?.dumpTcp === 'function' && typeof addon?.scanSocketOwners === 'function') {
      console.log(`portwatch: using the prebuilt sock_diag addon (prebuilds/linux-${process.arch}); nothing to compile.`);
      process.exit(0);
    }
    prebuiltProblem = `the prebuilt addon lacks dumpTcp/scanSocketOwners`;
  } catch (err) {
    prebuiltProblem = `the prebuilt addon does not load: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
  }
}

if (!existsSync(join(root, 'binding.gyp'))) {
  console.warn(`portwatch: ${prebuiltProblem}, and no binding.gyp to build one; Portwatch will read /proc/net/tcp instead.`);
  process.exit(0);
}
// npm tells scripts where its own node-gyp is; node_modules/.bin is on PATH as well.
const gyp = process.env.npm_config_node_gyp;
const [cmd, args] = gyp ? [process.execPath, [gyp]] : ['node-gyp', []];
const run = spawnSync(cmd, [...args, 'configure', 'build'], { cwd: root, stdio: 'inherit', shell: false });
if (run.status === 0) process.exit(0);
const why = run.error ? run.error.message : `exit status ${run.status ?? run.signal}`;
console.warn(`portwatch: ${sourceCheckout ? '' : `${prebuiltProblem}; `}building the sock_diag addon failed (${why}); Portwatch will read /proc/net/tcp instead.`);
process.exit(process.env.CI === 'true' && sourceCheckout ? 1 : 0);

// npm "install" hook (package.json scripts.install): builds the sock_diag addon on Linux with
// `node-gyp configure build`. Deliberately not `node-gyp rebuild` (npm's default when a binding.gyp is
// present): its clean step deletes the whole build/ folder, where electron-builder keeps its resources.
// Other platforms have nothing to build. A failed build does not fail `npm install` (Portwatch then
// reads /proc/net/tcp and reports the sock_diag sources as unsupported), except in CI (CI=true).
import { spawnSync } from 'node:child_process';

if (process.platform !== 'linux') process.exit(0);

// npm tells scripts where its own node-gyp is; node_modules/.bin is on PATH as well.
const gyp = process.env.npm_config_node_gyp;
const [cmd, args] = gyp ? [process.execPath, [gyp]] : ['node-gyp', []];
const run = spawnSync(cmd, [...args, 'configure', 'build'], { stdio: 'inherit', shell: false });
if (run.status === 0) process.exit(0);
const why = run.error ? run.error.message : `exit status ${run.status ?? run.signal}`;
console.warn(`portwatch: building the sock_diag addon failed (${why}); Portwatch will read /proc/net/tcp instead.`);
process.exit(process.env.CI === 'true' ? 1 : 0);

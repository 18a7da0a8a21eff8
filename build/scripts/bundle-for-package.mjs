// Bundles what the desktop packages run with the system's Node, outside Electron (whose RunAsNode fuse is
// off in packaged builds, so the app's own executable cannot run a script):
//   out/package/helper/portwatch-helper   the privileged helper, one file, #!/usr/bin/env node, mode 0755
//                                         (what build/linux/io.portwatch.helper.policy names once installed)
//   out/package/cli/portwatch.mjs         the `portwatch` CLI, one file (node-pty and the .node addon stay
//                                         outside: the addon is found in resources/prebuilds/)
//   out/package/bin/portwatch-cli         the deb's /usr/bin launcher for it
// electron-builder copies them into resources/ (extraResources) and the deb maps them to system paths.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'out/package');
// ESM bundles that still hold CommonJS dependencies (ws) need require().
const banner = "import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);";
const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', external: ['node-pty', '*.node'], logLevel: 'warning', legalComments: 'none' };

mkdirSync(join(out, 'helper'), { recursive: true });
await build({ ...common, entryPoints: [join(root, 'electron/helper/portwatch-helper.ts')], outfile: join(out, 'helper/portwatch-helper'), banner: { js: banner } });
chmodSync(join(out, 'helper/portwatch-helper'), 0o755);

await build({ ...common, entryPoints: [join(root, 'electron/cli/portwatch.ts')], outfile: join(out, 'cli/portwatch.mjs'), banner: { js: banner } });

mkdirSync(join(out, 'bin'), { recursive: true });
// The deb installs the app under /opt/Portwatch; the CLI runs on the system's node (Depends: nodejs).
writeFileSync(join(out, 'bin/portwatch-cli'), '#!/bin/sh\n# Portwatch\'s command line (the desktop app is `portwatch`): run by the system\'s Node.\nexec node /opt/Portwatch/resources/cli/portwatch.mjs "$@"\n', { mode: 0o755 });
console.log('bundled: out/package/helper/portwatch-helper, out/package/cli/portwatch.mjs, out/package/bin/portwatch-cli');

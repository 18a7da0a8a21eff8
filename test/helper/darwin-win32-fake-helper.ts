// The helper's entry point with the macOS or Windows store over a fake command runner whose "kernel"
// lives in a JSON file (FAKE_HELPER_STATE), so that a test can SIGKILL the helper at any step and run
// `recover` in a fresh process against the same system. FAKE_HELPER_PLATFORM picks darwin or win32.
// Everything but the command runner is the real helper (runHelper, transaction, journal, lock, countdown).
import { streamOutput } from '../../electron/helper/output.js';
import { runHelper } from '../../electron/helper/portwatch-helper.js';
import { createDarwinStore } from '../../electron/helper/darwin-store.js';
import { createWin32Store } from '../../electron/helper/win32-store.js';
import { createFakeMac } from './darwin-fake-system.js';
import { createFakeWindows } from './win32-fake-system.js';

const platform = process.env.FAKE_HELPER_PLATFORM;
const stateFile = process.env.FAKE_HELPER_STATE;
const fixtures = process.env.FAKE_HELPER_FIXTURES ?? '';
if ((platform !== 'darwin' && platform !== 'win32') || !stateFile) {
  process.stderr.write('FAKE_HELPER_PLATFORM (darwin|win32) and FAKE_HELPER_STATE are required\n');
  process.exit(2);
}
process.on('SIGHUP', () => {});
const store =
  platform === 'darwin'
    ? (paths: { configRoot: string }) => createDarwinStore({ runner: createFakeMac({ stateFile }).runner, configRoot: paths.configRoot })
    : () => createWin32Store({ runner: createFakeWindows({ stateFile, fixtures }).runner, systemRoot: 'C:\\Windows' });
runHelper(process.argv.slice(2), process.env, { out: streamOutput(process.stdout), stdin: process.stdin, euid: 0 }, { store }).then((code) => {
  process.exitCode = code;
  process.stdin.destroy();
});

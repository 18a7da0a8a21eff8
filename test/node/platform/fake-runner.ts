// A command runner for the macOS and Windows backends on a machine that cannot run their commands: it
// records every argv it is given and answers from a table keyed by program and arguments. (The only
// fake these tests use; parsing, timeouts and statuses are the real code.)
import type { CommandResult, CommandRunner } from '../../../electron/node/platform/command-source.js';

export type FakeAnswer = CommandResult | Error | 'hang';

/** A runner answering `answers[file + ' ' + args.join(' ')]`; records calls. Unknown commands fail like a missing program. */
export function fakeRunner(answers: Record<string, FakeAnswer>): CommandRunner & { calls: { file: string; args: string[] }[] } {
  const calls: { file: string; args: string[] }[] = [];
  const run: CommandRunner = (file, args, signal) => {
    calls.push({ file, args: [...args] });
    const a = answers[[file, ...args].join(' ')];
    if (a === undefined) return Promise.reject(Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' }));
    if (a === 'hang') {
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true }));
    }
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  };
  return Object.assign(run, { calls });
}

/** A command that printed these bytes and exited with this status. */
export function printed(stdout: Buffer | string, exitCode = 0, stderr = ''): CommandResult {
  return { stdout: Buffer.isBuffer(stdout) ? stdout : Buffer.from(stdout), stderr: Buffer.from(stderr), exitCode };
}

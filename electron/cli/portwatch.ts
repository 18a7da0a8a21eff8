#!/usr/bin/env node
// The `portwatch` command: check, capture, serve. Each subcommand parses its own flags strictly and
// names the culprit of any bad argument.
import '../node/threadpool.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// Each command is imported only when it runs: `portwatch --version` loads no engine at all.
import { EXIT } from './exit-codes.js';
import type { Io } from './args.js';
import { terminalSafeIo } from './terminal-io.js';
import { endOutputOnClosedPipe } from './closed-pipe.js';


const USAGE = `Usage: portwatch <command> [options]

Commands:
  check [--json | --short] [--wide] [--no-color] [--watch] [--bundle DIR]
        [--interval SEC] [--no-owners] [--warning RATIO] [--critical RATIO]
        [--ssh [USER@]HOST[:PORT] [--ssh-config FILE]]
      Is the ephemeral port range running out, toward which destination, why, and what to do.
      Exit status: 0 ok, 1 warning, 2 critical or exhausted, 3 unknown.
  capture --out DIR [--reads N] [--interval SEC] [--no-owners]
      Save every raw source exactly as read (for \`check --bundle DIR\` on another machine).
  tune [--dry-run | --apply [--yes] | --revert TXID | --status]
       [--ssh [USER@]HOST[:PORT]] ...
      Plan a fix (application first, then kernel settings), apply it with
      keep-or-revert, here or on a remote Linux host over ssh
      (see \`portwatch tune --help\`).
  serve [--port N] [--host ADDR] [--open] ...
      The dashboard and /metrics over HTTP on 127.0.0.1 (see \`portwatch serve --help\`).

Options for every command: --help, --version
`;


function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    // Built layout (out/node/electron/cli) sits two levels deeper.
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: string };
      return pkg.version ?? 'unknown';
    } catch {
      return 'unknown';
    }
  }
}

/**
 * Runs one portwatch command line; resolves to the exit status. `stop` ends a command that would otherwise
 * go on until interrupted (check --watch), as when its standard output's reader has gone.
 */
export async function main(argv: string[], rawIo: Io = { stdout: process.stdout, stderr: process.stderr }, stop?: AbortSignal): Promise<number> {
  const io = terminalSafeIo(rawIo); // every command's output passes the one cleaning layer
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      // loaded only here: --version and each command load no more than they need
      io.stdout.write((await import('../common/help-text.js')).fitHelp(USAGE));
      return command === undefined ? EXIT.usage : EXIT.ok;
    case '--version':
    case '-v':
      io.stdout.write(`portwatch ${version()}\n`);
      return EXIT.ok;
    case 'check': {
      const { runCheck } = await import('./check.js');
      return runCheck(rest, io, stop);
    }
    case 'capture': {
      const { runCapture } = await import('./capture.js');
      return runCapture(rest, io, version());
    }
    case 'tune': {
      const { runTune } = await import('./tune.js');
      return runTune(rest, io);
    }
    case 'serve': {
      const { runServe } = await import('../server/serve.js');
      return runServe(rest, io);
    }
    default:
      io.stderr.write(`portwatch: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return EXIT.usage;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === (await import('node:fs')).realpathSync(process.argv[1])) {
  const readerGone = new AbortController();
  // check's status is its report's verdict, which nobody got: unknown. Every other command's status says
  // what happened (tune: kept or reverted) and stays; the failure is named on stderr either way.
  const statusIsVerdict = process.argv[2] === 'check';
  let verdictLost = false;
  const lost = (): void => {
    if (!statusIsVerdict) return;
    verdictLost = true;
    process.exitCode = EXIT.unknown; // the failure may come after check set its status
  };
  endOutputOnClosedPipe(process.stdout, 'stdout', { closed: () => readerGone.abort(), failed: lost });
  endOutputOnClosedPipe(process.stderr, 'stderr');
  main(process.argv.slice(2), undefined, readerGone.signal).then(
    (code) => {
      process.exitCode = verdictLost ? EXIT.unknown : code;
    },
    (err: unknown) => {
      process.stderr.write(`portwatch: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = EXIT.unknown;
    },
  );
}

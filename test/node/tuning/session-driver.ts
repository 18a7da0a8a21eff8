// Runs one helper session from the unprivileged side and prints its end as one JSON line; the no-shell
// trace runs this (bundled) under strace.
//   node session-driver.mjs '{"argv":[...],"env":{...},"transport":"pty"}'
import { startHelperSession } from '../../../electron/node/tuning/helper-session.js';

const { argv, env, transport } = JSON.parse(process.argv[2] ?? '{}') as { argv: string[]; env: Record<string, string>; transport: 'pty' | 'pipes' };
const s = await startHelperSession(argv, { method: 'direct', env, transport });
const end = await s.exited;
process.stdout.write(`${JSON.stringify({ exitCode: end.exitCode, outcome: end.result?.outcome ?? null })}\n`);

// The helper's whole command line grammar: five verbs, each with a fixed number of arguments. Anything
// else is refused before a file is opened. Arguments that start with "-" are refused outright, so no
// argument can ever be taken for an option.
import { TXID_PATTERN } from '../common/tuning.js';

/** A command the helper accepted. */
export type HelperCommand =
  | { verb: 'apply'; planPath: string }
  | { verb: 'revert'; txid: string }
  | { verb: 'confirm'; txid: string }
  | { verb: 'status' }
  | { verb: 'recover' };

/** Usage text printed with every refusal. */
export const HELPER_USAGE =
  'usage: portwatch-helper apply /absolute/plan.json | revert TXID | confirm TXID | status | recover';

const MAX_ARG_LENGTH = 4096;
// Absolute, made of plain characters, no "." or ".." components, no doubled or trailing slash.
const PLAN_PATH = /^(\/[A-Za-z0-9_@+][A-Za-z0-9._@+-]*)+$/;
// Windows: a drive path whose components are letters (any script), digits, spaces and ._@+-()~, none
// ending in a dot or a space; no quotes, no shell or PowerShell characters ($ ` % & | ; < > ^ ' ").
const WIN32_PLAN_PATH = /^[A-Za-z]:(\\[\p{L}\p{N}_@+(~][\p{L}\p{N} ._@+()~-]*)+$/u;

/** Whether `p` is a plan path the helper accepts on this platform. */
export function isPlanPath(p: string, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') {
    const parts = p.split('\\').slice(1);
    return WIN32_PLAN_PATH.test(p) && parts.every((c) => c !== '.' && c !== '..' && !/[. ]$/.test(c));
  }
  return PLAN_PATH.test(p) && !p.split('/').some((c) => c === '.' || c === '..');
}

/** Parses argv (without node and the script); names the culprit when it refuses. */
export function parseHelperArgv(argv: readonly string[], platform: NodeJS.Platform = process.platform): { ok: true; command: HelperCommand } | { ok: false; error: string } {
  if (argv.length === 0) return { ok: false, error: 'no verb given' };
  for (const [i, a] of argv.entries()) {
    if (typeof a !== 'string') return { ok: false, error: `argument ${i + 1} is not text` };
    if (a.length > MAX_ARG_LENGTH) return { ok: false, error: `argument ${i + 1} is longer than ${MAX_ARG_LENGTH} characters` };
    if (a.startsWith('-')) return { ok: false, error: `argument ${i + 1} starts with "-": options are not accepted` };
    if (/[\u0000-\u001f\u007f]/.test(a)) return { ok: false, error: `argument ${i + 1} contains a control character` };
  }
  const [verb, ...args] = argv as [string, ...string[]];
  const arity = (n: number): string | null => (args.length === n ? null : `${verb} takes ${n === 0 ? 'no argument' : n === 1 ? 'one argument' : `${n} arguments`}, got ${args.length}`);
  switch (verb) {
    case 'apply': {
      const bad = arity(1);
      if (bad) return { ok: false, error: bad };
      const p = args[0]!;
      if (!isPlanPath(p, platform)) {
        return { ok: false, error: `the plan file must be an absolute path made of letters, digits and ._@+- (no . or .. components), got ${show(p)}` };
      }
      return { ok: true, command: { verb, planPath: p } };
    }
    case 'revert':
    case 'confirm': {
      const bad = arity(1);
      if (bad) return { ok: false, error: bad };
      if (!TXID_PATTERN.test(args[0]!)) return { ok: false, error: `not a transaction id (like 20261124T101500Z-a1b2c3): ${show(args[0]!)}` };
      return { ok: true, command: { verb, txid: args[0]! } };
    }
    case 'status':
    case 'recover': {
      const bad = arity(0);
      return bad ? { ok: false, error: bad } : { ok: true, command: { verb } };
    }
    default:
      return { ok: false, error: `unknown verb ${show(verb)}` };
  }
}

function show(s: string): string {
  return s.length > 60 ? `${JSON.stringify(s.slice(0, 60))}…` : JSON.stringify(s);
}

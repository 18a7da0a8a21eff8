// The tuning wizard's part of the UI↔monitor contract: what the monitor offers (a plan it computed, a
// review of the steps the user chose, the state of a helper session), what the UI may ask (by plan id and
// step ids only: a client never writes a plan), and the events of a session (terminal output, status,
// countdown). Types and runtime schemas; contract.ts wires them into Methods and Events. Pure.
import type { Sample } from './model.js';
import { sampleSchema } from './model-schema.js';
import {
  CONFIRM_TIMEOUT_BOUNDS,
  TUNABLE_KEYS,
  TXID_PATTERN,
  parseHelperPlanDocument,
  type BootOverride,
  type BootWinner,
  type CapacityFigures,
  type DestinationWhatIf,
  type HelperPlanDocument,
  type HelperSetting,
  type SettingChange,
  type TuningPlan,
  type WhatIf,
} from './tuning.js';
import { arr, bool, describeValue, matching, nullable, num, obj, oneOf, optional, str, type Schema } from './schema.js';

// ---- identifiers ---------------------------------------------------------------------------------------

/** Plan ids name a plan the monitor computed: "plan-" and 20 hex digits of its hash. */
export const PLAN_ID_PATTERN = /^plan-[0-9a-f]{20}$/;
/** Session ids name one helper run started by the monitor: "ts-" and 12 hex digits. */
export const SESSION_ID_PATTERN = /^ts-[0-9a-f]{12}$/;
/** Step ids as the planner writes them ("widen-range", "reserve-listeners", "tw-reuse"). */
export const STEP_ID_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
/** Most characters one writeTuningTerminal may carry (a typed password, "keep\r"). */
export const MAX_TERMINAL_INPUT = 1024;
/** Most characters one terminal event carries (longer output comes in several events). */
export const MAX_TERMINAL_CHUNK = 16 * 1024;
/** Terminal sizes the helper's pty may be given. */
export const TERMINAL_COLS = { min: 20, max: 400 } as const;
export const TERMINAL_ROWS = { min: 5, max: 200 } as const;

// ---- what the monitor answers --------------------------------------------------------------------------

/** Whether state-changing tuning requests are accepted here, and if not, why and how to enable them. */
export interface ApplyAvailability {
  allowed: boolean;
  /** One or two sentences: why applying is off and how to turn it on; null when allowed. */
  reason: string | null;
  /** How the helper would get root: "direct" (already root), "pkexec", "sudo", "uac"… (null when it cannot here). */
  elevation: string | null;
  /** Why the helper cannot get root, when it cannot. */
  elevationProblem: string | null;
}

/** A plan as the monitor offers it to a wizard. */
export interface TuningPlanView {
  /** The id to review or apply this plan by (a hash of what it changes). */
  planId: string;
  /** The analysed sample the plan is based on (the "before" of the verification), null before the first. */
  sample: Sample | null;
  plan: TuningPlan;
  /** Kernel steps that must be chosen together: a step and the steps it needs (e.g. widen-range needs reserve-listeners). */
  requires: { step: string; needs: string[] }[];
  apply: ApplyAvailability;
}

/** A command as it will run (argv) and as it is shown. */
export interface TuningCommand {
  argv: string[];
  display: string;
  why: string;
}

/** Everything a reviewer sees for a chosen set of steps before anything runs. */
export interface TuningReview {
  planId: string;
  /** The chosen step ids, in the order the helper writes them. */
  steps: string[];
  /** Every setting: the value now and the value after. */
  settings: { key: string; current: string | null; proposed: string }[];
  /** Every file written: before, after and a line diff ("-old", "+new", " same"). */
  files: { path: string; before: string | null; after: string; diff: string[] }[];
  /** Who sets each key last at boot once the drop-in is written. */
  boot: BootWinner[];
  /** What the reviewer must know (guard rails, overriding files). */
  warnings: string[];
  /** The exact command(s) that will run, or none when the helper cannot get root here. */
  commands: TuningCommand[];
  /** The writes the helper makes, in order. */
  writes: { path: string; data: string }[];
  /** The same change made by hand, for copying into a root shell (never run by Portwatch). */
  manual: string[];
  /** The document the helper will receive. */
  helperDocument: HelperPlanDocument | null;
  /** Figures before and after the chosen steps. */
  whatIf: { before: WhatIf; after: WhatIf; destinations: DestinationWhatIf[] };
  /** In a container: the pod / docker way to set the same values. */
  containerSnippets: TuningPlan['containerSnippets'];
  apply: ApplyAvailability;
}

/** Where a helper session is. */
export type TuningPhase =
  | 'applying'
  | 'awaiting-confirm'
  | 'reverting'
  | 'kept'
  | 'reverted'
  | 'unchanged'
  | 'refused'
  | 'rolled-back'
  | 'failed';

/** Phases after which the session has ended. */
export const FINAL_PHASES: readonly TuningPhase[] = ['kept', 'reverted', 'unchanged', 'refused', 'rolled-back', 'failed'];

/** The live values read back after an apply, compared with what the plan wanted. */
export interface TuningVerification {
  ok: boolean;
  settings: { key: string; wanted: string; now: string | null; ok: boolean }[];
}

/** One run of the privileged helper started from the wizard. */
export interface TuningSession {
  id: string;
  /** apply: a plan; revert: putting back a kept change by its transaction id. */
  kind: 'apply' | 'revert';
  planId: string | null;
  steps: string[];
  /** Exactly what runs. */
  argv: string[];
  display: string;
  /** How the helper got root ("direct", "pkexec", "sudo", "uac"…). */
  elevation: string;
  /** The remote host it runs on ("ops@lb2"), over ssh; absent: this machine. */
  host?: string;
  startedAt: number;
  phase: TuningPhase;
  ended: boolean;
  /** The latest plain sentence (the helper's, or the monitor's when the helper said nothing). */
  message: string;
  txid: string | null;
  /** Epoch ms (monitor clock) when an unconfirmed change reverts by itself. */
  deadline: number | null;
  /** Seconds left before that, as of `asOf`. */
  secondsLeft: number | null;
  /** Monitor clock when this view was made. */
  asOf: number;
  verification: TuningVerification | null;
  changes: SettingChange[];
  overrides: BootOverride[];
}

/** What getTuningStatus answers. */
export interface TuningStatus {
  apply: ApplyAvailability;
  /** The current or last session, null when none ran since the monitor started. */
  session: TuningSession | null;
  /** The session's terminal output so far (bounded), for a page that was reloaded. */
  terminal: { sessionId: string; seq: number; data: string } | null;
}

/** One chunk of a session's terminal output. */
export interface TuningTerminalChunk {
  sessionId: string;
  /** Increasing per session from 1. */
  seq: number;
  data: string;
}

/** Once a second while a change awaits keep or revert. */
export interface TuningCountdown {
  sessionId: string;
  txid: string | null;
  deadline: number;
  secondsLeft: number;
}

// ---- what the UI may send ------------------------------------------------------------------------------

/** reviewTuning: the plan (by id), the steps chosen from it, and the countdown wanted (default 60 s). */
export interface ReviewTuningParams {
  planId: string;
  steps: string[];
  confirmTimeoutSec?: number;
}

/** applyTuning: the same, and the countdown wanted. */
export interface ApplyTuningParams {
  planId: string;
  steps: string[];
  /** Seconds before the change reverts unless kept (default 60). */
  confirmTimeoutSec?: number;
}

/** revertTuning: the change awaiting confirmation in a session, or a kept change by transaction id. */
export type RevertTuningParams = { sessionId: string } | { txid: string };

const planId = matching(PLAN_ID_PATTERN, 'a plan id such as plan-0123456789abcdef0123 (from getTuningPlan)', 40);
const sessionId = matching(SESSION_ID_PATTERN, 'a session id such as ts-0123456789ab (from applyTuning)', 40);
const stepIds = {
  check(v: unknown, path: string): string | null {
    const e = arr(matching(STEP_ID_PATTERN, 'a step id such as "widen-range"', 40), { minLength: 1, maxLength: TUNABLE_KEYS.length }).check(v, path);
    if (e !== null) return e;
    const a = v as string[];
    const dup = a.find((s, i) => a.indexOf(s) !== i);
    return dup === undefined ? null : `${path}: ${describeValue(dup)} is chosen twice`;
  },
} satisfies Schema<string[]>;

/** Parameter schemas of the tuning methods (strict: unknown fields are refused). */
export const TUNING_PARAMS = {
  getTuningPlan: obj<Record<string, never>>({}),
  reviewTuning: obj<ReviewTuningParams>({ planId, steps: stepIds, confirmTimeoutSec: optional(num({ integer: true, ...CONFIRM_TIMEOUT_BOUNDS })) }),
  getTuningStatus: obj<Record<string, never>>({}),
  applyTuning: obj<ApplyTuningParams>({ planId, steps: stepIds, confirmTimeoutSec: optional(num({ integer: true, ...CONFIRM_TIMEOUT_BOUNDS })) }),
  writeTuningTerminal: obj<{ sessionId: string; data: string }>({ sessionId, data: str({ minLength: 1, maxLength: MAX_TERMINAL_INPUT }) }),
  resizeTuningTerminal: obj<{ sessionId: string; cols: number; rows: number }>({
    sessionId,
    cols: num({ integer: true, ...TERMINAL_COLS }),
    rows: num({ integer: true, ...TERMINAL_ROWS }),
  }),
  keepTuning: obj<{ sessionId: string }>({ sessionId }),
  revertTuning: {
    check(v: unknown, path: string): string | null {
      if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'txid' in v) {
        return obj<{ txid: string }>({ txid: matching(TXID_PATTERN, 'a transaction id such as 20261124T101500Z-a1b2c3', 40) }).check(v, path);
      }
      return obj<{ sessionId: string }>({ sessionId }).check(v, path);
    },
  } satisfies Schema<RevertTuningParams>,
};

/** Methods that change the system (or drive a change in progress): refused unless the monitor allows apply. */
export const STATE_CHANGING_METHODS = ['applyTuning', 'writeTuningTerminal', 'resizeTuningTerminal', 'keepTuning', 'revertTuning'] as const;

// ---- result schemas (lenient: a newer monitor may add fields) -------------------------------------------

const lenient = { strict: false } as const;
const text = str({ maxLength: 100_000 });
const texts = arr(text, { maxLength: 1000 });
const nText = nullable(text);
const nonNeg = num({ min: 0 });
const nNum = nullable(num());
const keySchema = oneOf(...TUNABLE_KEYS);
const portRange = obj({ low: num({ integer: true, min: 0, max: 65535 }), high: num({ integer: true, min: 0, max: 65535 }) }, lenient);
const elevation = nullable(str({ maxLength: 40 }));

const helperDocument: Schema<HelperPlanDocument> = {
  check(v, path) {
    const r = parseHelperPlanDocument(v);
    return r.ok ? null : `${path}${r.error.slice('plan'.length)}`;
  },
};

// Any allow-listed key with its fields (the planner's own document check is parseHelperPlanDocument).
const setting = obj({ key: keySchema }, lenient) as Schema<HelperSetting>;

const capacity: Schema<CapacityFigures> = obj<CapacityFigures>(
  { range: nullable(portRange), rangeSize: nNum, reserved: nonNeg, heldByListeners: nullable(nonNeg), usable: nNum },
  lenient,
);
const whatIf: Schema<WhatIf> = obj<WhatIf>({ capacity, holdSec: nonNeg, sustainablePerDestinationPerSec: nNum }, lenient);
const side = obj({ holdSec: nonNeg, sustainablePerSec: nNum }, lenient);
const destinationWhatIf: Schema<DestinationWhatIf> = obj<DestinationWhatIf>(
  { key: str({ maxLength: 400 }), label: str({ maxLength: 400 }), loopback: bool, newPerSec: nNum, before: side, after: side },
  lenient,
);
const whatIfSet = obj({ before: whatIf, after: whatIf, destinations: arr(destinationWhatIf, { maxLength: 100 }) }, lenient);
const bootEntry = nullable(obj({ path: str({ maxLength: 4096 }), line: num({ integer: true, min: 0 }), value: text }, lenient));
const bootWinner: Schema<BootWinner> = obj<BootWinner>({ key: keySchema, systemd: bootEntry, procps: bootEntry, oursWins: bool }, lenient);
const snippets = nullable(obj({ kubernetes: text, docker: text, notes: texts }, lenient));

/** Checks a TuningPlan as the planner writes it. */
export const tuningPlanSchema: Schema<TuningPlan> = obj<TuningPlan>(
  {
    schema: oneOf(1),
    platform: oneOf('linux', 'darwin', 'win32'),
    createdAt: nonNeg,
    environment: obj(
      { container: bool, kind: nullable(oneOf('docker', 'podman', 'kubernetes', 'containerd', 'container')), evidence: texts },
      lenient,
    ),
    summary: text,
    advice: arr(
      obj({ kind: oneOf('application'), id: str({ maxLength: 100 }), title: text, text, why: text, forDiagnoses: arr(str({ maxLength: 200 }), { maxLength: 100 }) }, lenient),
      { maxLength: 100 },
    ),
    kernel: arr(
      obj(
        {
          kind: oneOf('kernel'),
          id: str({ maxLength: 100 }),
          key: keySchema,
          title: text,
          current: nText,
          proposed: text,
          setting,
          why: text,
          effect: obj({ before: whatIf, after: whatIf, summary: text }, lenient),
          risks: texts,
        },
        lenient,
      ),
      { maxLength: TUNABLE_KEYS.length },
    ),
    warnings: texts,
    notProposed: texts,
    whatIf: whatIfSet,
    persistence: nullable(obj({ path: str({ maxLength: 4096 }), before: nText, after: text, boot: arr(bootWinner, { maxLength: TUNABLE_KEYS.length }) }, lenient)),
    containerSnippets: snippets,
    helperPlan: nullable(helperDocument),
  },
  lenient,
);

const availability: Schema<ApplyAvailability> = obj<ApplyAvailability>({ allowed: bool, reason: nText, elevation, elevationProblem: nText }, lenient);

const planView: Schema<TuningPlanView> = obj<TuningPlanView>(
  {
    planId,
    sample: nullable(sampleSchema),
    plan: tuningPlanSchema,
    requires: arr(obj({ step: str({ maxLength: 100 }), needs: arr(str({ maxLength: 100 }), { maxLength: TUNABLE_KEYS.length }) }, lenient), { maxLength: TUNABLE_KEYS.length }),
    apply: availability,
  },
  lenient,
);

const command = obj<TuningCommand>({ argv: arr(str({ maxLength: 4096 }), { maxLength: 64 }), display: text, why: text }, lenient);

const review: Schema<TuningReview> = obj<TuningReview>(
  {
    planId,
    steps: arr(str({ maxLength: 100 }), { maxLength: TUNABLE_KEYS.length }),
    settings: arr(obj({ key: str({ maxLength: 200 }), current: nText, proposed: text }, lenient), { maxLength: TUNABLE_KEYS.length }),
    files: arr(obj({ path: str({ maxLength: 4096 }), before: nText, after: text, diff: texts }, lenient), { maxLength: TUNABLE_KEYS.length }),
    boot: arr(bootWinner, { maxLength: TUNABLE_KEYS.length }),
    warnings: texts,
    commands: arr(command, { maxLength: TUNABLE_KEYS.length }),
    writes: arr(obj({ path: str({ maxLength: 4096 }), data: text }, lenient), { maxLength: 16 }),
    manual: texts,
    helperDocument: nullable(helperDocument),
    whatIf: whatIfSet,
    containerSnippets: snippets,
    apply: availability,
  },
  lenient,
);

const phase = oneOf('applying', 'awaiting-confirm', 'reverting', 'kept', 'reverted', 'unchanged', 'refused', 'rolled-back', 'failed');
const settingChange = obj({ key: keySchema, before: nText, wanted: text, now: nText }, lenient) as Schema<SettingChange>;
const bootOverride = obj(
  { key: keySchema, path: str({ maxLength: 4096 }), line: num({ integer: true, min: 0 }), value: text, readers: arr(str({ maxLength: 40 }), { maxLength: TUNABLE_KEYS.length }) },
  lenient,
) as Schema<BootOverride>;

/** Checks a session view. */
export const tuningSessionSchema: Schema<TuningSession> = obj<TuningSession>(
  {
    id: sessionId,
    kind: oneOf('apply', 'revert'),
    planId: nullable(planId),
    steps: arr(str({ maxLength: 100 }), { maxLength: TUNABLE_KEYS.length }),
    argv: arr(str({ maxLength: 4096 }), { maxLength: 64 }),
    display: text,
    elevation: str({ maxLength: 40 }),
    host: optional(str({ maxLength: 300 })),
    startedAt: nonNeg,
    phase,
    ended: bool,
    message: text,
    txid: nullable(str({ maxLength: 40 })),
    deadline: nNum,
    secondsLeft: nullable(nonNeg),
    asOf: nonNeg,
    verification: nullable(
      obj({ ok: bool, settings: arr(obj({ key: str({ maxLength: 200 }), wanted: text, now: nText, ok: bool }, lenient), { maxLength: TUNABLE_KEYS.length }) }, lenient),
    ),
    changes: arr(settingChange, { maxLength: TUNABLE_KEYS.length }),
    overrides: arr(bootOverride, { maxLength: 64 }),
  },
  lenient,
);

const terminalChunk: Schema<TuningTerminalChunk> = obj<TuningTerminalChunk>(
  { sessionId, seq: num({ integer: true, min: 0 }), data: str({ maxLength: 1 << 20 }) },
  lenient,
);

/** Result schemas of the tuning methods. */
export const TUNING_RESULTS = {
  getTuningPlan: planView,
  reviewTuning: review,
  getTuningStatus: obj<TuningStatus>({ apply: availability, session: nullable(tuningSessionSchema), terminal: nullable(terminalChunk) }, lenient),
  applyTuning: tuningSessionSchema,
  writeTuningTerminal: obj<{ written: number }>({ written: num({ integer: true, min: 0 }) }, lenient),
  resizeTuningTerminal: obj<{ cols: number; rows: number }>({ cols: num({ integer: true }), rows: num({ integer: true }) }, lenient),
  keepTuning: tuningSessionSchema,
  revertTuning: tuningSessionSchema,
};

/** Event schemas of a tuning session. */
export const TUNING_EVENTS = {
  tuningTerminal: obj<TuningTerminalChunk>({ sessionId, seq: num({ integer: true, min: 1 }), data: str({ maxLength: MAX_TERMINAL_CHUNK }) }, lenient),
  tuningStatus: tuningSessionSchema,
  tuningCountdown: obj<TuningCountdown>({ sessionId, txid: nullable(str({ maxLength: 40 })), deadline: nonNeg, secondsLeft: nonNeg }, lenient),
};

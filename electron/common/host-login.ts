// Logging in to a remote host from the desktop window: the user's own `ssh` runs in a terminal the window
// shows (password, key passphrase, one-time code, host key question); once it has authenticated, the
// shared connection it leaves (ControlPersist) carries every read, and nothing typed is kept. This is the
// contract's part: the session as the page sees it, what the page may send (by session id only; the host
// is the one the page shows) and the events. Types and runtime schemas; contract.ts wires them in. Pure.
import { TERMINAL_COLS, TERMINAL_ROWS, MAX_TERMINAL_INPUT } from './tuning-contract.js';
import { matching, num, obj, oneOf, str, type Schema } from './schema.js';

/** Login session ids: "hl-" and 12 hex digits, made by the main process. */
export const LOGIN_ID_PATTERN = /^hl-[0-9a-f]{12}$/;

/** Most characters of a login terminal's output one event carries. */
export const MAX_LOGIN_CHUNK = 16 * 1024;

/**
 * running: ssh is asking or connecting; logged-in: ssh authenticated and ended, the shared connection
 * stays; failed: ssh ended without logging in (the message says why and what to do); cancelled: the user
 * closed it.
 */
export type HostLoginState = 'running' | 'logged-in' | 'failed' | 'cancelled';

/** One login as the page sees it. */
export interface HostLoginSession {
  loginId: string;
  /** "ops@lb2:2222", as the user wrote it. */
  host: string;
  state: HostLoginState;
  /** One sentence for people ("Logged in: reading ops@lb2 over the shared connection"); '' while running. */
  message: string;
  /** What the terminal showed so far (the last MAX_LOGIN_CHUNK characters), for a page that opens late. */
  transcript: string;
}

/** A piece of the login terminal's output. */
export interface HostLoginOutput {
  loginId: string;
  data: string;
}

/** The methods of a login; each answers for the host the asking page shows. */
export interface HostLoginMethods {
  /** Starts the login of the page's host in a terminal (or returns the one running). */
  startHostLogin: { params: Record<string, never>; result: HostLoginSession };
  /** Types into the login terminal (what ssh asks), at most 1,024 characters. Never kept or logged. */
  writeHostLogin: { params: { loginId: string; data: string }; result: { written: number } };
  /** Gives the login terminal another size. */
  resizeHostLogin: { params: { loginId: string; cols: number; rows: number }; result: { cols: number; rows: number } };
  /** Ends the login (ssh is stopped). */
  cancelHostLogin: { params: { loginId: string }; result: HostLoginSession };
}

/** The login's events. */
export interface HostLoginEvents {
  /** Output of a login terminal. */
  hostLoginOutput: HostLoginOutput;
  /** A login changed state (logged in, failed, cancelled). */
  hostLoginStatus: HostLoginSession;
}

/** The login methods' names, for routing (the main process answers them, not a monitor). */
export const HOST_LOGIN_METHODS = ['startHostLogin', 'writeHostLogin', 'resizeHostLogin', 'cancelHostLogin'] as const satisfies readonly (keyof HostLoginMethods)[];

const loginId = matching(LOGIN_ID_PATTERN, 'a login id such as hl-0123456789ab (from startHostLogin)', 40);

export const HOST_LOGIN_PARAMS: { [M in keyof HostLoginMethods]: Schema<HostLoginMethods[M]['params']> } = {
  startHostLogin: obj<Record<string, never>>({}),
  writeHostLogin: obj<{ loginId: string; data: string }>({ loginId, data: str({ minLength: 1, maxLength: MAX_TERMINAL_INPUT }) }),
  resizeHostLogin: obj<{ loginId: string; cols: number; rows: number }>({
    loginId,
    cols: num({ integer: true, ...TERMINAL_COLS }),
    rows: num({ integer: true, ...TERMINAL_ROWS }),
  }),
  cancelHostLogin: obj<{ loginId: string }>({ loginId }),
};

const lenient = { strict: false } as const;

export const hostLoginSessionSchema: Schema<HostLoginSession> = obj<HostLoginSession>(
  {
    loginId,
    host: str({ minLength: 1, maxLength: 300 }),
    state: oneOf('running', 'logged-in', 'failed', 'cancelled'),
    message: str({ maxLength: 2000 }),
    transcript: str({ maxLength: MAX_LOGIN_CHUNK }),
  },
  lenient,
);

export const HOST_LOGIN_RESULTS: { [M in keyof HostLoginMethods]: Schema<HostLoginMethods[M]['result']> } = {
  startHostLogin: hostLoginSessionSchema,
  writeHostLogin: obj<{ written: number }>({ written: num({ integer: true, min: 0 }) }, lenient),
  resizeHostLogin: obj<{ cols: number; rows: number }>({ cols: num({ integer: true }), rows: num({ integer: true }) }, lenient),
  cancelHostLogin: hostLoginSessionSchema,
};

export const HOST_LOGIN_EVENTS: { [E in keyof HostLoginEvents]: Schema<HostLoginEvents[E]> } = {
  hostLoginOutput: obj<HostLoginOutput>({ loginId, data: str({ maxLength: MAX_LOGIN_CHUNK }) }, lenient),
  hostLoginStatus: hostLoginSessionSchema,
};

// The pure checks of the desktop app's IPC chokepoint (electron/main/ipc-chokepoint.ts applies them to
// every message, in this order): the channel is one of ours, the sender is our own window's main frame
// showing our own origin, and the payload is one argument that the contract's schema accepts. Each check
// returns null when it passes, else the reason for the refusal log.
import { parseRequest, type MethodName, type RequestMessage } from '../common/contract.js';

/** What the chokepoint knows about a message's sender. */
export interface SenderFacts {
  /** webContents id of the sender. */
  senderId: number;
  /** Whether the sending frame is its page's main frame (not an iframe). */
  isMainFrame: boolean;
  /** The sending frame's URL, or null when the frame is gone (navigated away, destroyed). */
  frameUrl: string | null;
}

/** Who may talk to the monitor. */
export interface TrustedSender {
  /** webContents id of the app's own window, or null when there is no window. */
  webContentsId: number | null;
  /** The origin the window's page is served from, e.g. "app://portwatch". */
  origin: string;
}

/**
 * The origin of a URL as scheme://host[:port], also for custom schemes (WHATWG URL gives "null" as the
 * origin of non-special schemes such as app:). Null for unparseable URLs and URLs with credentials.
 */
export function originOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.username !== '' || u.password !== '') return null;
  return `${u.protocol}//${u.host}`;
}

/** Null when channel is one of `known` and carries the prefix; else why not. */
export function checkChannel(channel: unknown, prefix: string, known: ReadonlySet<string>): string | null {
  if (typeof channel !== 'string') return 'channel is not a string';
  if (!channel.startsWith(prefix)) return `channel ${JSON.stringify(channel.slice(0, 60))} lacks the ${prefix} prefix`;
  if (!known.has(channel)) return `unknown channel ${JSON.stringify(channel.slice(0, 60))}`;
  return null;
}

/** Null when the sender is the trusted window's main frame at the expected origin; else why not. */
export function checkSender(f: SenderFacts, t: TrustedSender): string | null {
  if (t.webContentsId === null) return 'no window is open';
  if (f.senderId !== t.webContentsId) return `sender ${f.senderId} is not the app's window (${t.webContentsId})`;
  if (!f.isMainFrame) return 'sender is a subframe';
  if (f.frameUrl === null) return 'sending frame is gone';
  const origin = originOf(f.frameUrl);
  if (origin !== t.origin) return `sender origin ${origin === null ? 'unparseable' : JSON.stringify(origin.slice(0, 80))} is not ${t.origin}`;
  return null;
}

/** The request for `method` with the message's arguments, validated by the contract; or why it is refused. */
export function checkPayload(method: MethodName, args: readonly unknown[], id: number): { ok: true; request: RequestMessage } | { ok: false; reason: string } {
  if (args.length !== 1) return { ok: false, reason: `expected one argument (the parameters), got ${args.length}` };
  const parsed = parseRequest({ id, method, params: args[0] });
  if (!parsed.ok) return { ok: false, reason: parsed.error };
  return { ok: true, request: parsed.value };
}

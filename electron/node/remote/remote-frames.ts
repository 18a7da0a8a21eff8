// Reads back what the remote script printed (see remote-script.ts for the framing) into one raw source
// per frame. The remote side may be anything (a banner from a login file, a broken pipe, a host that
// lies): this never throws, bounds what it keeps, and every problem names the frame or line at fault.

/** One framed source as received. */
export interface RemoteFrame {
  name: string;
  /** "missing" / "unreadable" for a remote file that does not exist / cannot be read; otherwise the exit status. */
  exit: number | 'missing' | 'unreadable';
  /** Output bytes (each line as the remote printed it, newline-terminated); empty for "missing". */
  data: Buffer;
}

/** Everything one remote read returned. */
export interface DecodedRemoteOutput {
  /** `uname -s` of the remote host ("Linux", "Darwin", …), null when the header never came. */
  os: string | null;
  frames: Map<string, RemoteFrame>;
  /** True when the final "@done" line arrived (otherwise the output was cut short). */
  complete: boolean;
  /** What could not be read, each naming the frame or line. */
  problems: string[];
}

const HEADER = '@portwatch-remote ';
// Lines a login file may print before the header (e.g. a .bashrc that echoes): skipped, within bounds.
const MAX_PREAMBLE_BYTES = 64 * 1024;
const NAME = /^[A-Za-z0-9/][A-Za-z0-9._/-]{0,200}$/;
const MAX_PROBLEMS = 20;

/** Decodes the framed output; `expected` lists the source names this read may contain. */
export function decodeRemoteOutput(out: Buffer, expected: ReadonlySet<string>): DecodedRemoteOutput {
  const result: DecodedRemoteOutput = { os: null, frames: new Map(), complete: false, problems: [] };
  let dropped = 0;
  const problem = (text: string): void => {
    if (result.problems.length < MAX_PROBLEMS) result.problems.push(text);
    else dropped++;
  };
  let pos = 0;
  let lineNo = 0;
  const nextLine = (): { start: number; end: number } | null => {
    if (pos >= out.length) return null;
    const nl = out.indexOf(0x0a, pos);
    const end = nl < 0 ? out.length : nl;
    const line = { start: pos, end };
    pos = nl < 0 ? out.length : nl + 1;
    lineNo++;
    return line;
  };
  const text = (l: { start: number; end: number }): string => out.toString('latin1', l.start, Math.min(l.end, l.start + 300));

  // The header: the first line starting with "@portwatch-remote ", within the preamble bound.
  for (;;) {
    const l = nextLine();
    if (!l) {
      problem('the remote host printed no Portwatch header (is `sh` there, or did the connection drop?)');
      return finish();
    }
    const t = text(l);
    if (t.startsWith(HEADER)) {
      const [version, os] = t.slice(HEADER.length).split(' ');
      if (version !== '1') {
        problem(`line ${lineNo}: framing version ${JSON.stringify(version)} is not 1`);
        return finish();
      }
      result.os = os !== undefined && /^[A-Za-z0-9._-]{1,40}$/.test(os) ? os : '';
      break;
    }
    if (l.start >= MAX_PREAMBLE_BYTES) {
      problem(`no Portwatch header in the first ${MAX_PREAMBLE_BYTES} bytes (a login file printing to stdout?)`);
      return finish();
    }
  }

  let open: { name: string; chunks: Buffer[]; bytes: number } | null = null;
  for (let l = nextLine(); l; l = nextLine()) {
    if (out[l.start] === 0x20) {
      if (!open) {
        problem(`line ${lineNo}: output outside any source`);
        continue;
      }
      // keep the line without its marker space, with its newline
      const chunk = l.end < out.length ? out.subarray(l.start + 1, l.end + 1) : Buffer.concat([out.subarray(l.start + 1), Buffer.from('\n')]);
      open.chunks.push(chunk);
      open.bytes += chunk.length;
      continue;
    }
    const t = text(l);
    const [tag, name, extra, ...more] = t.split(' ');
    if (tag === '@done' && name === undefined) {
      if (open) problem(`source ${open.name}: no end line before @done`);
      result.complete = true;
      // anything after @done is not ours
      if (pos < out.length) problem(`line ${lineNo + 1}: output after @done ignored`);
      break;
    }
    if (tag === '@unsupported') {
      problem(`the remote system ${JSON.stringify((name ?? '').slice(0, 40))} is not Linux or macOS`);
      continue;
    }
    if (name === undefined || !NAME.test(name) || more.length > 0) {
      problem(`line ${lineNo}: not a frame line: ${JSON.stringify(t.slice(0, 80))}`);
      open = null;
      continue;
    }
    const known = expected.has(name);
    if (tag === '@src') {
      if (open) problem(`source ${open.name}: no end line before the next source`);
      open = null;
      if (!known) problem(`line ${lineNo}: unexpected source ${JSON.stringify(name)}`);
      else if (result.frames.has(name)) problem(`source ${name}: sent twice; the first is kept`);
      else open = { name, chunks: [], bytes: 0 };
    } else if (tag === '@end') {
      if (!open || open.name !== name) {
        problem(`line ${lineNo}: end of ${name} without its start`);
        open = null;
        continue;
      }
      const exit = extra !== undefined && /^\d{1,3}$/.test(extra) ? Number(extra) : NaN;
      if (Number.isNaN(exit)) problem(`source ${name}: exit status ${JSON.stringify(extra ?? '')} is not a number`);
      else result.frames.set(name, { name, exit, data: Buffer.concat(open.chunks, open.bytes) });
      open = null;
    } else if ((tag === '@missing' || tag === '@unreadable') && extra === undefined) {
      if (!known) problem(`line ${lineNo}: unexpected source ${JSON.stringify(name)}`);
      else if (!result.frames.has(name)) result.frames.set(name, { name, exit: tag === '@missing' ? 'missing' : 'unreadable', data: Buffer.alloc(0) });
    } else {
      problem(`line ${lineNo}: not a frame line: ${JSON.stringify(t.slice(0, 80))}`);
      open = null;
    }
  }
  if (open) problem(`source ${open.name}: output ended inside it (connection lost?)`);
  if (!result.complete) problem('the output ended before @done (connection lost, or the remote command was killed)');
  return finish();

  function finish(): DecodedRemoteOutput {
    if (dropped > 0) result.problems.push(`and ${dropped} more problems`);
    return result;
  }
}

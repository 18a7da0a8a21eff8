// A strict reader of the Prometheus text format for tests: every line must parse.

/** Parses exposition text into `name{labels}` → value, checking every line's syntax on the way. */
export function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!m) throw new Error(`not exposition format: ${line}`);
    out.set(m[1]! + (m[2] ?? ''), Number(m[3]));
  }
  return out;
}

/** The families of exposition text: name → type and help (each # TYPE must follow its # HELP). */
export function parseFamilies(text: string): Map<string, { type: string; help: string }> {
  const out = new Map<string, { type: string; help: string }>();
  let help: { name: string; text: string } | null = null;
  for (const line of text.split('\n')) {
    const h = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (h) help = { name: h[1]!, text: h[2]! };
    const t = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter|histogram|summary|untyped)$/.exec(line);
    if (t) {
      if (help?.name !== t[1]) throw new Error(`# TYPE ${t[1]} without its # HELP`);
      if (out.has(t[1]!)) throw new Error(`family ${t[1]} declared twice`);
      out.set(t[1]!, { type: t[2]!, help: help.text });
    }
  }
  return out;
}

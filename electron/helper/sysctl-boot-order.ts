// Which sysctl configuration file wins at boot, as a pure function of the files' paths and texts.
// systemd-sysctl and procps (`sysctl --system`) read *.conf files from these directories together,
// sorted by file name; a file in an earlier directory masks a same-named file in a later one (so
// /etc/sysctl.d/x.conf replaces /usr/lib/sysctl.d/x.conf). procps then reads /etc/sysctl.conf last.
// Within that order the last setting of a key wins. Pure: no node:* (shared with the planner).

/** One configuration file: its absolute path on the system (not on a test root) and its text. */
export interface SysctlConfigFile {
  path: string;
  text: string;
}

/** The sysctl.d directories in masking priority order (earlier masks later). */
export const SYSCTL_D_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'] as const;
/** Read after every sysctl.d file by procps' `sysctl --system`. */
export const ETC_SYSCTL_CONF = '/etc/sysctl.conf';

/** Who reads the files. */
export type SysctlReader = 'systemd-sysctl' | 'procps';

/** One `key = value` line. */
export interface SysctlEntry {
  /** Normalised key (dots), possibly a glob such as net.ipv4.conf.*.rp_filter. */
  key: string;
  value: string;
  path: string;
  /** 1-based line number. */
  line: number;
}

/** Parses sysctl.conf syntax; never throws. Lines it cannot read are returned as problems naming file and line. */
export function parseSysctlConf(file: SysctlConfigFile): { entries: SysctlEntry[]; problems: string[] } {
  const entries: SysctlEntry[] = [];
  const problems: string[] = [];
  const lines = file.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!.trim();
    if (l === '' || l.startsWith('#') || l.startsWith(';')) continue;
    // "-key = value": failures to write it are ignored; "!pattern" excludes keys from a glob (no value).
    if (l.startsWith('-')) l = l.slice(1).trimStart();
    if (l.startsWith('!')) continue;
    const eq = l.indexOf('=');
    if (eq <= 0) {
      problems.push(`${file.path}:${i + 1}: no "=" in ${JSON.stringify(l.slice(0, 60))}`);
      continue;
    }
    const key = normaliseKey(l.slice(0, eq).trim());
    if (key === '') {
      problems.push(`${file.path}:${i + 1}: empty key`);
      continue;
    }
    entries.push({ key, value: l.slice(eq + 1).trim(), path: file.path, line: i + 1 });
  }
  return { entries, problems };
}

/**
 * systemd accepts "net/ipv4/ip_local_port_range" as well: when the first separator is a slash, slashes
 * and dots swap roles.
 */
export function normaliseKey(k: string): string {
  const slash = k.indexOf('/');
  const dot = k.indexOf('.');
  if (slash >= 0 && (dot < 0 || slash < dot)) return k.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
  return k;
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function dirName(p: string): string {
  return p.slice(0, p.lastIndexOf('/'));
}

/** The files in the order the reader applies them. */
export function orderSysctlFiles(files: readonly SysctlConfigFile[], reader: SysctlReader): SysctlConfigFile[] {
  const byName = new Map<string, { rank: number; file: SysctlConfigFile }>();
  for (const f of files) {
    const rank = (SYSCTL_D_DIRS as readonly string[]).indexOf(dirName(f.path));
    const name = baseName(f.path);
    if (rank < 0 || !name.endsWith('.conf')) continue;
    const seen = byName.get(name);
    if (!seen || rank < seen.rank) byName.set(name, { rank, file: f });
  }
  // Byte order of the names, as strcmp sorts them.
  const ordered = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v.file);
  if (reader === 'procps') {
    const conf = files.find((f) => f.path === ETC_SYSCTL_CONF);
    if (conf) ordered.push(conf);
  }
  return ordered;
}

/** Glob match as systemd-sysctl does for keys with * ? [ ]. */
function keyMatches(pattern: string, key: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === key;
  let re = '^';
  for (const c of pattern) {
    if (c === '*') re += '[^]*';
    else if (c === '?') re += '[^]';
    else if (c === '[' || c === ']') re += c;
    else re += c.replace(/[.+^${}()|\\/-]/g, '\\$&');
  }
  try {
    return new RegExp(`${re}$`).test(key);
  } catch {
    return false;
  }
}

/** The setting of `key` that the reader applies last (the one in effect after boot), or null. */
export function winningEntry(files: readonly SysctlConfigFile[], key: string, reader: SysctlReader): SysctlEntry | null {
  let win: SysctlEntry | null = null;
  for (const f of orderSysctlFiles(files, reader)) {
    for (const e of parseSysctlConf(f).entries) if (keyMatches(e.key, key)) win = e;
  }
  return win;
}

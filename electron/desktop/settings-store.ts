// Settings on disk: settings.json in the app's data folder (Electron's app.getPath('userData')).
// Loading validates; a file that is not JSON, or has bad fields, is reported, kept under another name
// (settings.corrupt-<time>.json) and replaced by defaults (field by field when the JSON was readable).
// Writes are atomic: a temporary file in the same folder, flushed, then renamed over the old one, so a
// crash at any moment leaves either the old or the new settings, never half a file.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, watch, writeSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { parseSettings, type DesktopSettings } from './settings.js';
import { FileLimitError } from '../common/errors/file-limit-error.js';

export const SETTINGS_FILE = 'settings.json';
/** A settings file larger than this is not ours. */
export const MAX_SETTINGS_BYTES = 1024 * 1024;

/** What loading found. */
export interface LoadedSettings {
  settings: DesktopSettings;
  /** Problems found, each naming the field or the file; empty when the file was clean or absent. */
  problems: string[];
  /** Where the bad file was kept, when it was replaced. */
  keptAs: string | null;
}

/** The result of reading the file without changing anything on disk. */
export type SettingsRead =
  | { kind: 'missing' }
  | { kind: 'unreadable'; problem: string }
  | { kind: 'corrupt'; problem: string }
  | { kind: 'parsed'; settings: DesktopSettings; problems: string[]; text: string };

/** Reads and validates settings.json in dir; touches nothing. */
export function readSettingsFile(dir: string): SettingsRead {
  const path = join(dir, SETTINGS_FILE);
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_SETTINGS_BYTES) return { kind: 'corrupt', problem: `${path}: ${size} bytes, more than a settings file can be (${MAX_SETTINGS_BYTES})` };
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', problem: `${path}: could not be read (${e.code ?? e.message})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { kind: 'corrupt', problem: `${path}: not valid JSON (${(err as Error).message.slice(0, 200)})` };
  }
  const { settings, problems } = parseSettings(json);
  return { kind: 'parsed', settings, problems: problems.map((p) => `${SETTINGS_FILE}: ${p}`), text };
}

/** Loads settings at startup, repairing the file as described at the top; never throws. */
export function loadSettings(dir: string, now: () => number = Date.now): LoadedSettings {
  const r = readSettingsFile(dir);
  switch (r.kind) {
    case 'missing': {
      const settings = parseSettings({}).settings;
      const problems = trySave(dir, settings);
      return { settings, problems, keptAs: null };
    }
    case 'unreadable':
      // Not ours to move or overwrite: run on defaults and say so.
      return { settings: parseSettings({}).settings, problems: [r.problem, 'running on default settings; changes will not be saved'], keptAs: null };
    case 'corrupt':
    case 'parsed': {
      if (r.kind === 'parsed' && r.problems.length === 0) return { settings: r.settings, problems: [], keptAs: null };
      const settings = r.kind === 'parsed' ? r.settings : parseSettings({}).settings;
      const problems = r.kind === 'parsed' ? [...r.problems] : [r.problem];
      let keptAs: string | null = null;
      try {
        keptAs = keepBadFile(dir, now());
      } catch (err) {
        problems.push(`could not keep the bad settings file aside: ${(err as Error).message}`);
        return { settings, problems, keptAs: null };
      }
      problems.push(...trySave(dir, settings));
      return { settings, problems, keptAs };
    }
  }
}

/** Writes settings atomically (temporary file, fsync, rename, fsync of the folder). */
export function saveSettings(dir: string, settings: DesktopSettings): void {
  writeFileAtomic(join(dir, SETTINGS_FILE), settingsText(settings));
}

/** Writes text to path so that readers see the old or the new content, never a mix. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
  fsyncDir(path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))) || '.');
}

function fsyncDir(dir: string): void {
  // The rename is durable only once the folder is flushed; Windows cannot open folders for that.
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort: some file systems refuse fsync on a folder
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function keepBadFile(dir: string, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (let i = 0; i < 100; i++) {
    const name = join(dir, `settings.corrupt-${stamp}${i === 0 ? '' : `-${i}`}.json`);
    if (existsSync(name)) continue;
    renameSync(join(dir, SETTINGS_FILE), name);
    return name;
  }
  throw new FileLimitError(`${dir} already holds 100 kept settings files from ${stamp}`, dir);
}

function trySave(dir: string, settings: DesktopSettings): string[] {
  try {
    saveSettings(dir, settings);
    return [];
  } catch (err) {
    return [`${join(dir, SETTINGS_FILE)}: could not be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); changes will not be saved`];
  }
}

/**
 * Calls onChange with each new reading of settings.json after it changed on disk (an edit by hand),
 * debounced. A reading whose text is what `isOwnWrite` recognises (this process's last save) is skipped.
 */
export function watchSettings(dir: string, onChange: (r: SettingsRead) => void, isOwnWrite: (text: string) => boolean, debounceMs = 300): () => void {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name !== null && name !== SETTINGS_FILE) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const r = readSettingsFile(dir);
        if (r.kind === 'missing') return; // a rename in progress, or deleted: keep what runs
        if (r.kind === 'parsed' && isOwnWrite(r.text)) return;
        onChange(r);
      }, debounceMs);
    });
  } catch {
    return () => undefined; // no watching on this file system: edits apply at the next start
  }
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

/** The text saveSettings writes for these settings (to recognise one's own writes). */
export function settingsText(settings: DesktopSettings): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}

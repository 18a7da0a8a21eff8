import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, parseSettings } from '../../electron/desktop/settings.js';
import { loadSettings, readSettingsFile, saveSettings, settingsText, watchSettings, type SettingsRead } from '../../electron/desktop/settings-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (): string => join(dir, 'settings.json');
const kept = (): string[] => readdirSync(dir).filter((f) => f.startsWith('settings.corrupt-'));
const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);

describe('settings store', () => {
  it('writes the defaults on first start, so there is a file to edit', () => {
    const r = loadSettings(dir, () => NOW);
    expect(r).toEqual({ settings: defaultSettings(), problems: [], keptAs: null });
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual(defaultSettings());
  });

  it('loads a clean file untouched', () => {
    const s = defaultSettings();
    s.launchAtLogin = true;
    writeFileSync(file(), JSON.stringify(s));
    expect(loadSettings(dir, () => NOW)).toEqual({ settings: s, problems: [], keptAs: null });
    expect(kept()).toEqual([]);
  });

  it('reports a file that is not JSON, keeps it under a dated name and replaces it by defaults', () => {
    writeFileSync(file(), '{ "launchAtLogin": tru');
    const r = loadSettings(dir, () => NOW);
    expect(r.settings).toEqual(defaultSettings());
    expect(r.problems[0]).toMatch(/settings\.json: not valid JSON/);
    expect(r.keptAs).toBe(join(dir, 'settings.corrupt-20250102T030405Z.json'));
    expect(readFileSync(r.keptAs!, 'utf8')).toBe('{ "launchAtLogin": tru');
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual(defaultSettings());
  });

  it('keeps a second bad file of the same second under another name', () => {
    writeFileSync(file(), 'x');
    loadSettings(dir, () => NOW);
    writeFileSync(file(), 'y');
    loadSettings(dir, () => NOW);
    expect(kept().sort()).toEqual(['settings.corrupt-20250102T030405Z-1.json', 'settings.corrupt-20250102T030405Z.json']);
  });

  it('repairs bad fields only, keeping the good ones, and keeps the original aside', () => {
    writeFileSync(file(), JSON.stringify({ launchAtLogin: true, sampling: { cpuBudget: 'max' } }));
    const r = loadSettings(dir, () => NOW);
    expect(r.settings.launchAtLogin).toBe(true);
    expect(r.settings.sampling.cpuBudget).toBe(defaultSettings().sampling.cpuBudget);
    expect(r.problems).toEqual(['settings.json: sampling.cpuBudget: expected a number, got "max"']);
    expect(kept()).toHaveLength(1);
    expect(parseSettings(JSON.parse(readFileSync(file(), 'utf8'))).problems).toEqual([]);
  });

  it('accepts a file saved with a byte-order mark', () => {
    writeFileSync(file(), `\uFEFF${JSON.stringify({ launchAtLogin: true })}`);
    expect(loadSettings(dir).settings.launchAtLogin).toBe(true);
  });

  it('treats a huge file as corrupt without parsing it', () => {
    writeFileSync(file(), `{"x":"${'a'.repeat(1024 * 1024)}"}`);
    expect(readSettingsFile(dir)).toMatchObject({ kind: 'corrupt', problem: expect.stringContaining('more than a settings file can be') });
  });

  it('runs on defaults without moving anything when the file cannot be read', () => {
    mkdirSync(file()); // a folder where the file should be
    const r = loadSettings(dir, () => NOW);
    expect(r.settings).toEqual(defaultSettings());
    expect(r.problems[0]).toMatch(/could not be read \(EISDIR\)/);
    expect(kept()).toEqual([]);
  });

  it('reports, rather than throws, when the file cannot be written', () => {
    const gone = join(dir, 'no-such-folder');
    const r = loadSettings(gone, () => NOW);
    expect(r.settings).toEqual(defaultSettings());
    expect(r.problems).toEqual([`${join(gone, 'settings.json')}: could not be written (ENOENT); changes will not be saved`]);
  });

  it('writes atomically: a writer killed at random moments leaves the old or the new file, never a torn one', async () => {
    saveSettings(dir, defaultSettings());
    const writer = `
      import { saveSettings } from ${JSON.stringify(new URL('../../electron/desktop/settings-store.ts', import.meta.url).pathname)};
      import { defaultSettings } from ${JSON.stringify(new URL('../../electron/desktop/settings.ts', import.meta.url).pathname)};
      const s = defaultSettings();
      process.stdout.write('ready\\n');
      for (let i = 0; ; i++) { s.notifications.minIntervalSec = 10 + (i % 1000); s.launchAtLogin = i % 2 === 0; saveSettings(process.argv[1], s); }
    `;
    for (let round = 0; round < 12; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const text = readFileSync(file(), 'utf8');
      expect(parseSettings(JSON.parse(text)).problems).toEqual([]);
    }
  }, 60_000);

  it('sees hand edits but not its own writes', async () => {
    saveSettings(dir, defaultSettings());
    const own = settingsText(defaultSettings());
    const seen: SettingsRead[] = [];
    const stop = watchSettings(dir, (r) => seen.push(r), (t) => t === own, 50);
    try {
      saveSettings(dir, defaultSettings());
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toEqual([]);
      writeFileSync(file(), JSON.stringify({ launchAtLogin: true }));
      await waitFor(() => seen.length > 0);
      expect(seen.at(-1)).toMatchObject({ kind: 'parsed', settings: { launchAtLogin: true } });
      writeFileSync(file(), '{');
      await waitFor(() => seen.at(-1)?.kind === 'corrupt');
      expect(readFileSync(file(), 'utf8')).toBe('{'); // an edit in progress is never moved away
    } finally {
      stop();
    }
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

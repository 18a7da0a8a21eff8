// The helper's command line under Windows rules: plan paths are drive paths of plain characters; every
// other word is refused as on Linux. Then 5,000 fuzzed command lines run in-process against the Windows
// store over the fake netsh/reg runner: none is accepted, netsh and reg are never asked to set anything,
// and no file is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { HELPER_EXIT, type HelperResult } from '../../electron/common/tuning.js';
import { parseHelperArgv } from '../../electron/helper/argv.js';
import { runHelper } from '../../electron/helper/portwatch-helper.js';
import { createWin32Store } from '../../electron/helper/win32-store.js';
import { fingerprint } from './world.js';
import { createFakeWindows } from './win32-fake-system.js';

describe('the helper command line on Windows', () => {
  it.each([
    'C:\\Users\\ann\\AppData\\Local\\Temp\\portwatch-plan-Ab12\\plan.json',
    'C:\\Users\\Jürgen Müller\\AppData\\Local\\Temp\\portwatch-plan-x\\plan.json',
    'D:\\TEMP\\JOHNSM~1\\portwatch-plan-1\\plan.json',
  ])('accepts the plan path %s', (p) => {
    expect(parseHelperArgv(['apply', p], 'win32')).toEqual({ ok: true, command: { verb: 'apply', planPath: p } });
  });

  it.each([
    ['a POSIX path', '/tmp/plan.json'],
    ['a relative path', 'plan.json'],
    ['a UNC path', '\\\\server\\share\\plan.json'],
    ['a .. component', 'C:\\Temp\\..\\Windows\\plan.json'],
    ['a trailing dot', 'C:\\Temp\\plan.'],
    ['a quote', 'C:\\Temp\\o\'brien\\plan.json'],
    ['a double quote', 'C:\\Temp\\"\\plan.json'],
    ['a $', 'C:\\Temp\\$x\\plan.json'],
    ['a %', 'C:\\%TEMP%\\plan.json'],
    ['an ampersand', 'C:\\Temp&calc\\plan.json'],
    ['a forward slash', 'C:/Temp/plan.json'],
    ['a device name trick', 'C:\\Temp\\plan.json:stream'],
  ])('refuses a plan path with %s', (_n, p) => {
    const r = parseHelperArgv(['apply', p], 'win32');
    expect(r.ok).toBe(false);
  });
});

const TXID = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;
const valid = (v: readonly string[]) => (v.length === 1 ? v[0] === 'status' || v[0] === 'recover' : v.length === 2 && (v[0] === 'confirm' || v[0] === 'revert') && TXID.test(v[1]!));
const word = fc.oneof(
  fc.constantFrom('apply', 'revert', 'confirm', 'status', 'recover', '/?', '-h', '--help', 'C:\\Windows\\System32\\cmd.exe', 'C:\\x\\plan.json', 'netsh', 'int', 'set', 'start=1', 'num=64511', '&', '|', '$(calc)', '`calc`', '%COMSPEC%'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.array(fc.constantFrom('C:', 'Temp', '..', '.', 'a b', "o'b", '$x', 'plan.json', 'portwatch-plan-1'), { maxLength: 5 }).map((p) => p.join('\\')),
);
const vectors = fc.array(word, { maxLength: 5 }).filter((v) => !valid(v));

describe('portwatch-helper on Windows against 5,000 fuzzed command lines (in-process, fake netsh/reg)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pw-win32-argv-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts none, runs no set, writes nothing', async () => {
    const win = createFakeWindows();
    const before = await fingerprint(dir);
    const env = { PORTWATCH_HELPER_STATE_DIR: join(dir, 'state'), PORTWATCH_HELPER_CONFIG_ROOT: dir };
    for (const argv of fc.sample(vectors, { numRuns: 5000, seed: 20261124 })) {
      const results: HelperResult[] = [];
      const code = await runHelper(
        argv,
        env,
        { out: { say: () => {}, result: (r) => results.push(r), alive: true }, stdin: null, euid: 0, signals: new EventEmitter() },
        { platform: 'win32', store: () => createWin32Store({ runner: win.runner, systemRoot: 'C:\\Windows' }) },
      );
      if (code !== HELPER_EXIT.refused || results.at(-1)?.outcome !== 'refused') throw new Error(`accepted ${JSON.stringify(argv)} (exit ${code})`);
    }
    expect(win.calls.filter((c) => c.includes('set') || c[1] === 'add' || c[1] === 'delete')).toEqual([]);
    expect(await fingerprint(dir)).toEqual(before);
  });
});

// How the helper gets elevated on Windows: directly when already elevated, else the UAC relaunch through
// Windows PowerShell's Start-Process -Verb RunAs with one fixed script in which every word is checked.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chooseElevation, helperArgv, type ElevationFacts } from '../../../electron/node/tuning/elevation.js';
import type { HelperProgram } from '../../../electron/node/tuning/helper-location.js';
import { UacArgumentError, isUacPath, powershellPath, uacScript } from '../../../electron/node/tuning/win32-uac.js';

const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const built: HelperProgram = { kind: 'built', path: 'C:\\Program Files\\Portwatch\\resources\\helper\\portwatch-helper.js', nodeArgv: ['C:\\Program Files\\Portwatch\\node.exe', 'C:\\Program Files\\Portwatch\\resources\\helper\\portwatch-helper.js'] };
const win = (over: Partial<ElevationFacts>): ElevationFacts => ({ euid: -1, helper: built, pkexec: null, sudo: null, policyInstalled: false, platform: 'win32', elevated: false, powershell: PS, ...over });
const PLAN = 'C:\\Users\\Jürgen Müller\\AppData\\Local\\Temp\\portwatch-plan-Ab12\\plan.json';

describe('how the helper gets elevated on Windows', () => {
  it('runs directly when this process is already elevated', () => {
    const c = chooseElevation(win({ elevated: true }));
    expect(c.ok && helperArgv(c.choice, 'status')).toEqual([...built.nodeArgv, 'status']);
  });

  it('relaunches through UAC with an exact PowerShell argv', () => {
    const c = chooseElevation(win({}));
    expect(c.ok && c.choice.method).toBe('uac');
    const argv = c.ok ? helperArgv(c.choice, 'apply', [PLAN]) : [];
    expect(argv).toEqual([
      PS,
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      `$ErrorActionPreference = 'Stop'; $p = Start-Process -FilePath 'C:\\Program Files\\Portwatch\\node.exe' -ArgumentList '"C:\\Program Files\\Portwatch\\resources\\helper\\portwatch-helper.js" "apply" "${PLAN}"' -Verb RunAs -Wait -PassThru; exit $p.ExitCode`,
    ]);
    expect(c.ok && helperArgv(c.choice, 'confirm', ['20261124T101500Z-a1b2c3'])[5]).toContain(`-ArgumentList '"C:\\Program Files\\Portwatch\\resources\\helper\\portwatch-helper.js" "confirm" "20261124T101500Z-a1b2c3"'`);
  });

  it('needs the built helper and PowerShell for UAC, and says so', () => {
    expect(chooseElevation(win({ helper: { kind: 'source', path: 'C:\\src\\h.ts', nodeArgv: ['C:\\node.exe', '--import', 'file:///C:/tsx.mjs', 'C:\\src\\h.ts'] } }))).toMatchObject({ ok: false, error: expect.stringMatching(/needs the built helper/) });
    expect(chooseElevation(win({ powershell: null }))).toMatchObject({ ok: false, error: expect.stringMatching(/Windows PowerShell .* was not found/) });
    expect(powershellPath('D:\\WINDOWS')).toBe('D:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
  });

  it.each([
    ['a quote in the plan path', ['apply', "C:\\Users\\o'brien\\plan.json"]],
    ['a double quote in the plan path', ['apply', 'C:\\x\\p".json']],
    ['a $ in the plan path', ['apply', 'C:\\x\\$env:p.json']],
    ['a backtick', ['apply', 'C:\\x\\`p.json']],
    ['a percent sign', ['apply', 'C:\\%TEMP%\\p.json']],
    ['an ampersand', ['apply', 'C:\\x&calc\\p.json']],
    ['a semicolon', ['apply', 'C:\\x;calc\\p.json']],
    ['a pipe', ['apply', 'C:\\x|y\\p.json']],
    ['a trailing backslash', ['apply', 'C:\\x\\']],
    ['a relative path', ['apply', 'plan.json']],
    ['a .. component', ['apply', 'C:\\x\\..\\p.json']],
    ['an option', ['apply', '-Command']],
    ['an unknown verb', ['write', 'C:\\p.json']],
    ['a bad transaction id', ['revert', '20261124T101500Z-A1B2C3']],
    ['a newline', ['apply', 'C:\\x\np.json']],
  ])('refuses %s', (_name, [verb, arg]) => {
    expect(() => uacScript(built.nodeArgv, verb!, [arg!])).toThrow(UacArgumentError);
  });

  it('refuses a helper program that is not a plain absolute path', () => {
    for (const exe of ['node.exe', "C:\\it's\\node.exe", 'C:\\x\\node.exe" -Verb RunAs; calc; "']) {
      expect(() => uacScript([exe, built.path], 'status', [])).toThrow(UacArgumentError);
    }
  });

  it('puts no accepted word into the script that could end its quoting (fuzzed)', () => {
    const piece = fc.string({ unit: fc.constantFrom(...'aZ0 _.-()~@+\\/:\'"$`%&|;<>^\n'.split('')), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 4 }), (parts) => {
        const path = `C:\\${parts.join('\\')}`;
        let script: string;
        try {
          script = uacScript(built.nodeArgv, 'apply', [path]);
        } catch (e) {
          expect(e).toBeInstanceOf(UacArgumentError);
          return;
        }
        // Accepted: nothing that PowerShell or CommandLineToArgvW would treat specially.
        expect(path).not.toMatch(/['"$`%&|;<>^\n]|\\$/);
        expect(script.split("'").length).toBe(7);
        expect(isUacPath(path) || /^[A-Za-z]:/.test(path)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

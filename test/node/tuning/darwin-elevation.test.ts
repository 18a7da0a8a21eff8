// How the helper gets root on macOS: directly as root, else sudo running the helper itself (argv, no
// shell); never osascript's `do shell script` (a shell as root). See elevation.ts for the trade-offs.
import { describe, expect, it } from 'vitest';
import { chooseElevation, helperArgv, type ElevationFacts } from '../../../electron/node/tuning/elevation.js';
import type { HelperProgram } from '../../../electron/node/tuning/helper-location.js';

const built: HelperProgram = { kind: 'built', path: '/Applications/Portwatch.app/Contents/Resources/helper/portwatch-helper.js', nodeArgv: ['/usr/local/bin/node', '/Applications/Portwatch.app/Contents/Resources/helper/portwatch-helper.js'] };
const mac = (over: Partial<ElevationFacts>): ElevationFacts => ({ euid: 501, helper: built, pkexec: null, sudo: '/usr/bin/sudo', policyInstalled: false, platform: 'darwin', ...over });

describe('how the helper gets root on macOS', () => {
  it('runs directly when already root', () => {
    const c = chooseElevation(mac({ euid: 0 }));
    expect(c.ok && helperArgv(c.choice, 'status')).toEqual([...built.nodeArgv, 'status']);
  });

  it('asks sudo for an administrator, with the helper itself as the program (argv, no shell)', () => {
    const c = chooseElevation(mac({}));
    expect(c.ok && c.choice.method).toBe('sudo');
    const argv = c.ok ? helperArgv(c.choice, 'apply', ['/private/var/folders/xy/T/portwatch-plan-Ab12/plan.json']) : [];
    expect(argv).toEqual(['/usr/bin/sudo', '--', '/usr/local/bin/node', built.path, 'apply', '/private/var/folders/xy/T/portwatch-plan-Ab12/plan.json']);
    expect(argv.join(' ')).not.toMatch(/osascript|\/bin\/sh|bash|-c |do shell script/);
  });

  it('does not use pkexec on macOS even when one is found', () => {
    const c = chooseElevation(mac({ pkexec: '/usr/bin/pkexec', policyInstalled: true }));
    expect(c.ok && c.choice.method).toBe('sudo');
  });

  it('names what is missing without sudo', () => {
    expect(chooseElevation(mac({ sudo: null }))).toEqual({ ok: false, error: expect.stringMatching(/needs an administrator: run Portwatch as root/) });
  });
});

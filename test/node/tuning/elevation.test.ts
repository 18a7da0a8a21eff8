import { describe, expect, it } from 'vitest';
import { chooseElevation, helperArgv, type ElevationFacts } from '../../../electron/node/tuning/elevation.js';
import type { HelperProgram } from '../../../electron/node/tuning/helper-location.js';

const installed: HelperProgram = { kind: 'installed', path: '/usr/lib/portwatch/portwatch-helper', nodeArgv: ['/usr/bin/node', '/usr/lib/portwatch/portwatch-helper'] };
const built: HelperProgram = { kind: 'built', path: '/opt/portwatch/out/node/electron/helper/portwatch-helper.js', nodeArgv: ['/usr/bin/node', '/opt/portwatch/out/node/electron/helper/portwatch-helper.js'] };
const facts = (over: Partial<ElevationFacts>): ElevationFacts => ({ euid: 1000, helper: installed, pkexec: '/usr/bin/pkexec', sudo: '/usr/bin/sudo', policyInstalled: true, ...over });

describe('how the helper gets root', () => {
  it.each([
    ['root runs it directly with node', facts({ euid: 0 }), ['/usr/bin/node', '/usr/lib/portwatch/portwatch-helper']],
    ['polkit names the installed helper', facts({}), ['/usr/bin/pkexec', '/usr/lib/portwatch/portwatch-helper']],
    ['without the policy, sudo', facts({ policyInstalled: false }), ['/usr/bin/sudo', '--', '/usr/bin/node', '/usr/lib/portwatch/portwatch-helper']],
    ['a helper that is not installed cannot go through pkexec: sudo', facts({ helper: built }), ['/usr/bin/sudo', '--', ...built.nodeArgv]],
    ['no pkexec: sudo', facts({ pkexec: null }), ['/usr/bin/sudo', '--', '/usr/bin/node', '/usr/lib/portwatch/portwatch-helper']],
  ])('%s', (_name, f, prefix) => {
    const c = chooseElevation(f);
    expect(c.ok && c.choice.prefix).toEqual(prefix);
    if (c.ok) {
      const argv = helperArgv(c.choice, 'revert', ['20261124T101500Z-a1b2c3']);
      expect(argv.slice(-2)).toEqual(['revert', '20261124T101500Z-a1b2c3']);
      expect(argv[0]!.startsWith('/')).toBe(true);
      expect(argv.join(' ')).not.toMatch(/\bsh\b|bash|-c /);
    }
  });

  it('names what is missing when neither root, pkexec nor sudo is available', () => {
    const c = chooseElevation(facts({ pkexec: null, sudo: null }));
    expect(c).toEqual({ ok: false, error: expect.stringMatching(/needs root: run Portwatch as root, or install polkit \(pkexec\) .* or sudo/) });
  });
});

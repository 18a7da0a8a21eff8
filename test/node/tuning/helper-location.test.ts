import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { locateHelper } from '../../../electron/node/tuning/helper-location.js';

describe('where the helper is', () => {
  it('prefers the installed helper that the polkit policy names', () => {
    expect(locateHelper({ exists: (p) => p === '/usr/lib/portwatch/portwatch-helper', nodePath: '/usr/bin/node' })).toEqual({
      kind: 'installed',
      path: '/usr/lib/portwatch/portwatch-helper',
      nodeArgv: ['/usr/bin/node', '/usr/lib/portwatch/portwatch-helper'],
    });
  });

  it('runs the TypeScript source through the tsx loader by absolute URL when not installed or built', () => {
    const h = locateHelper({ exists: () => false, nodePath: '/usr/bin/node' });
    expect(h.kind).toBe('source');
    expect(existsSync(h.path)).toBe(true);
    expect(h.nodeArgv).toEqual(['/usr/bin/node', '--import', expect.stringMatching(/^file:\/\/\/.*tsx/), h.path]);
  });
});

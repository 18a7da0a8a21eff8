import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_CONFIG } from '../../electron/common/config.js';
import { defaultSettings, parseSettings } from '../../electron/desktop/settings.js';

describe('settings', () => {
  it('takes every default from an empty object, silently', () => {
    expect(parseSettings({})).toEqual({ settings: defaultSettings(), problems: [] });
    expect(defaultSettings().analysis).toEqual(DEFAULT_ANALYSIS_CONFIG);
  });

  it('round-trips through JSON', () => {
    const s = defaultSettings();
    s.notifications.quietHours = { enabled: true, start: '21:30', end: '06:15' };
    s.notifications.mutedUntil = 1_700_000_000_000;
    s.analysis.thresholds = { warning: 0.6, critical: 0.85 };
    s.launchAtLogin = true;
    expect(parseSettings(JSON.parse(JSON.stringify(s)))).toEqual({ settings: s, problems: [] });
  });

  it('replaces each bad field by its default and names the field and the value', () => {
    const { settings, problems } = parseSettings({
      schema: 2,
      sampling: { cpuBudget: 0 },
      analysis: { thresholds: { warning: 0.9, critical: 0.8 } },
      notifications: { enabled: 'yes', minIntervalSec: 5, quietHours: { start: '25:00' }, mutedUntil: -1 },
      launchAtLogin: 1,
      colour: 'red',
    });
    expect(settings).toEqual(defaultSettings());
    expect(problems).toEqual([
      'colour: unknown setting (ignored)',
      'schema: expected 1, got 2',
      'sampling.cpuBudget: CPU budget must be a share of one core between 0 and 1 (e.g. 0.02), got 0',
      'analysis.thresholds.warning (0.9) must be below thresholds.critical (0.8); using 0.7 and 0.9',
      'notifications.enabled: expected true or false, got "yes"',
      'notifications.minIntervalSec: expected an integer in [10, 86400], got 5',
      'notifications.quietHours.start: expected a time "HH:MM" (00:00..23:59), got "25:00"',
      'notifications.mutedUntil: expected null or a time in epoch milliseconds, got -1',
      'launchAtLogin: expected true or false, got 1',
    ]);
  });

  it('keeps the good fields of a partly bad file', () => {
    const { settings, problems } = parseSettings({ sampling: { cpuBudget: 0.05 }, notifications: { enabled: false, minIntervalSec: 'often' } });
    expect(settings.sampling.cpuBudget).toBe(0.05);
    expect(settings.notifications.enabled).toBe(false);
    expect(settings.notifications.minIntervalSec).toBe(120);
    expect(problems).toHaveLength(1);
  });

  it('keeps the remote hosts in their order, checked with the CLI\'s ssh-target rules', () => {
    const { settings, problems } = parseSettings({ hosts: ['lb1', 'ops@lb2:2222', '-oProxyCommand=x', 'lb1'] });
    expect(settings.hosts).toEqual(['lb1', 'ops@lb2:2222']);
    expect(problems).toEqual([
      'hosts[2]: SSH host "-oProxyCommand=x": starts with "-", which ssh would read as an option (dropped)',
      'hosts[3]: SSH host "lb1" is already in the list (dropped)',
    ]);
    expect(defaultSettings().hosts).toEqual([]);
  });

  it('refuses a non-object', () => {
    for (const v of [null, 3, 'x', [], true]) expect(parseSettings(v).problems[0]).toMatch(/^settings: expected an object/);
  });

  it('never throws, whatever it is given, including throwing getters (property)', () => {
    const hostile = { get sampling(): never { throw new Error('boom'); } };
    expect(parseSettings(hostile).problems).toContain('sampling: could not be read');
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), (v) => {
        const r = parseSettings(v);
        expect(parseSettings(JSON.parse(JSON.stringify(r.settings))).problems).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});

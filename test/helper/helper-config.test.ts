import { describe, expect, it } from 'vitest';
import { DEFAULT_HELPER_PATHS, helperConfigFromEnv } from '../../electron/helper/helper-config.js';

describe('where the helper works', () => {
  it('uses the real system by default and remembers who asked through pkexec', () => {
    expect(helperConfigFromEnv({ PKEXEC_UID: '1000' })).toEqual({ ok: true, paths: DEFAULT_HELPER_PATHS, hooks: { killAt: null, skipLiveChecks: false }, invokingUid: 1000 });
  });

  it('takes test roots and hooks from a caller who is already root', () => {
    const c = helperConfigFromEnv({ PORTWATCH_HELPER_STATE_DIR: '/tmp/s', PORTWATCH_HELPER_CONFIG_ROOT: '/tmp/r', PORTWATCH_HELPER_KILL_AT: 'locked' });
    expect(c).toMatchObject({ ok: true, paths: { proc: '/proc', configRoot: '/tmp/r', stateDir: '/tmp/s' }, hooks: { killAt: 'locked' } });
  });

  it.each([
    [{ PKEXEC_UID: '1000', PORTWATCH_HELPER_CONFIG_ROOT: '/tmp/r' }, /not accepted when the helper runs through pkexec or sudo/],
    [{ SUDO_UID: '1000', PORTWATCH_HELPER_STATE_DIR: '/tmp/s' }, /not accepted/],
    [{ SUDO_USER: 'eve', PORTWATCH_HELPER_KILL_AT: 'locked' }, /not accepted/],
    [{ PORTWATCH_HELPER_KILL_AT: 'locked' }, /needs PORTWATCH_HELPER_STATE_DIR/],
    [{ PORTWATCH_HELPER_SKIP_LIVE_CHECKS: '1' }, /needs PORTWATCH_HELPER_STATE_DIR/],
    [{ PORTWATCH_HELPER_PROC: 'proc' }, /absolute path/],
    [{ PORTWATCH_HELPER_STATE_DIR: '/s', PORTWATCH_HELPER_KILL_AT: '../x' }, /not a step name/],
  ])('refuses %j', (env, why) => {
    const c = helperConfigFromEnv(env);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.error).toMatch(why);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSshConfigPath, formatSshTarget, isSshTargetError, knownHostsName, parseSshTarget } from '../../electron/node/remote/ssh-target.js';

describe('parseSshTarget', () => {
  it('reads user, host and port in the forms people type', () => {
    expect(parseSshTarget('lb1')).toEqual({ host: 'lb1' });
    expect(parseSshTarget('ops@lb1.example.com')).toEqual({ user: 'ops', host: 'lb1.example.com' });
    expect(parseSshTarget('ops@10.0.0.2:2222')).toEqual({ user: 'ops', host: '10.0.0.2', port: 2222 });
    expect(parseSshTarget('[fd00::2]:2222')).toEqual({ host: 'fd00::2', port: 2222 });
    expect(parseSshTarget('root@fd00::2')).toEqual({ user: 'root', host: 'fd00::2' });
    expect(parseSshTarget('my_alias')).toEqual({ host: 'my_alias' });
  });

  it('refuses anything ssh could read as an option, or a shell or terminal could misread, naming it', () => {
    for (const [bad, why] of [
      ['-oProxyCommand=touch /tmp/x', /starts with "-"/],
      ['ops@-oProxyCommand=x', /user name|host starts with "-"/],
      ['-lroot@h', /starts with "-"/],
      ['h:-1', /port "-1"/],
      ['h:70000', /port "70000"/],
      ['h;rm -rf /', /space or a control character/],
      ['h$(id)', /may contain only/],
      ['h\u001b[31m', /control character/],
      ['', /empty/],
      ['a@', /no host name/],
      ['[fd00::1', /without "]"/],
      ['bad user@h', /space/],
    ] as const) {
      expect(() => parseSshTarget(bad), bad).toThrow(why);
    }
  });

  it('writes targets back as typed, and names them for ssh-keygen -R', () => {
    expect(formatSshTarget(parseSshTarget('ops@[fd00::2]:2222'))).toBe('ops@[fd00::2]:2222');
    expect(knownHostsName({ host: 'lb1', port: 2222 })).toBe('[lb1]:2222');
    expect(knownHostsName({ host: 'lb1', port: 22 })).toBe('lb1');
  });

  it('10,000 fuzzed host names: each is refused with an SshTargetError or is safe to hand to ssh', () => {
    const alphabet = fc.constantFrom(...'-@:[]._ab1Z%$`;|&<>()\'"\\ \t\n\u0000\u001b~*?!#/=,'.split(''));
    const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: alphabet, maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 }));
    fc.assert(
      fc.property(anyText, (text) => {
        try {
          const t = parseSshTarget(text);
          expect(t.host.startsWith('-')).toBe(false);
          expect(t.host).toMatch(/^[A-Za-z0-9_:.%-]+$/);
          if (t.user !== undefined) expect(t.user).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
          if (t.port !== undefined) expect(t.port >= 1 && t.port <= 65535).toBe(true);
        } catch (e) {
          if (!isSshTargetError(e)) throw e;
        }
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('checkSshConfigPath', () => {
  it('refuses a path ssh would read as an option or with control characters', () => {
    expect(() => checkSshConfigPath('-oProxyCommand=x')).toThrow(/--ssh-config.*starts with "-"/);
    expect(() => checkSshConfigPath('a\nb')).toThrow(/control character/);
    expect(() => checkSshConfigPath('')).toThrow(/empty/);
    expect(checkSshConfigPath('/home/me/.ssh/config with space')).toBe('/home/me/.ssh/config with space');
  });
});

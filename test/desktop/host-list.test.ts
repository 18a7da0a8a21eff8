import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addHost, canonicalHost, isHostListError, MAX_HOSTS, moveHost, parseHostList, removeHost } from '../../electron/desktop/host-list.js';

describe('host list', () => {
  it('adds hosts in the canonical form the CLI prints, at the end', () => {
    let hosts = addHost([], 'lb1');
    hosts = addHost(hosts, 'ops@10.0.4.17:2222');
    hosts = addHost(hosts, '[::1]:2200');
    expect(hosts).toEqual(['lb1', 'ops@10.0.4.17:2222', '[::1]:2200']);
  });

  it('refuses what the CLI refuses, naming the host and the reason', () => {
    const refused = (text: unknown) => {
      try {
        addHost([], text);
      } catch (err) {
        expect(isHostListError(err)).toBe(true);
        return (err as Error).message;
      }
      throw new Error(`accepted ${String(text)}`);
    };
    expect(refused('-oProxyCommand=touch /tmp/x')).toBe('SSH host "-oProxyCommand=touch /tmp/x": starts with "-", which ssh would read as an option');
    expect(refused('lb1\u001b[2J')).toBe('SSH host "lb1\\u001b[2J": contains a space or a control character');
    expect(refused('ops@-lb1')).toMatch(/host starts with "-"/);
    expect(refused('lb1:99999')).toMatch(/port "99999" must be a number from 1 to 65535/);
    expect(refused('')).toMatch(/is empty/);
    expect(refused(42)).toBe('SSH host: expected text like user@host:port, got number');
  });

  it('refuses a host already listed, even spelled another way, and more than the limit', () => {
    expect(() => addHost(['::1'], '[::1]')).toThrow('SSH host "::1" is already in the list');
    const full = Array.from({ length: MAX_HOSTS }, (_, i) => `h${i}`);
    expect(() => addHost(full, 'one-more')).toThrow(`the list already holds ${MAX_HOSTS} hosts`);
  });

  it('removes and moves hosts, clamping the position, and names a host that is not there', () => {
    const hosts = ['a', 'b', 'c'];
    expect(removeHost(hosts, 'b')).toEqual(['a', 'c']);
    expect(moveHost(hosts, 'c', 0)).toEqual(['c', 'a', 'b']);
    expect(moveHost(hosts, 'a', 1)).toEqual(['b', 'a', 'c']);
    expect(moveHost(hosts, 'a', 99)).toEqual(['b', 'c', 'a']);
    expect(moveHost(hosts, 'b', -5)).toEqual(['b', 'a', 'c']);
    expect(hosts).toEqual(['a', 'b', 'c']);
    expect(() => removeHost(hosts, 'd')).toThrow('SSH host "d" is not in the list');
    expect(() => moveHost(hosts, 'a', 0.5)).toThrow('position 0.5 is not a whole number');
  });

  it('reads a list from settings, dropping bad, repeated and surplus entries with a problem each', () => {
    const problems: string[] = [];
    expect(parseHostList(['lb1', '-x', 'lb1', 7, 'root@lb2'], problems)).toEqual(['lb1', 'root@lb2']);
    expect(problems).toEqual([
      'hosts[1]: SSH host "-x": starts with "-", which ssh would read as an option (dropped)',
      'hosts[2]: SSH host "lb1" is already in the list (dropped)',
      'hosts[3]: SSH host: expected text like user@host:port, got number (dropped)',
    ]);
    const p2: string[] = [];
    expect(parseHostList('lb1', p2)).toEqual([]);
    expect(p2).toEqual(['hosts: expected a list of SSH hosts like "user@host:port", got string']);
  });

  it('never lets anything ssh could read as an option, or a control character, into the list (10,000 fuzzed names)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('-o', '-oProxyCommand=x', 'a@-b', '[-1]:22', 'x\ny')), { maxLength: 8 }), (items) => {
        const problems: string[] = [];
        const hosts = parseHostList(items, problems);
        expect(hosts.length + problems.length).toBe(items.length);
        for (const h of hosts) {
          expect(h.startsWith('-')).toBe(false);
          expect(h).not.toMatch(/[\u0000-\u001f\u007f-\u009f\s]/);
          expect(h).not.toMatch(/@-/);
          expect(canonicalHost(h)).toBe(h);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});

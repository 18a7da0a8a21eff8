// The remote tuning command line and its parsers, without a remote host: the login shell on the other
// side sees only plain words (checked by real shells parsing the very line ssh sends), the plan becomes
// numeric arguments or a refusal naming the culprit, and hostile output never crashes the readers.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTuningError } from '../../electron/common/errors/tuning-error.js';
import type { HelperPlanDocument } from '../../electron/common/tuning.js';
import { REMOTE_TUNE_SCRIPT, REMOTE_TUNE_WRAPPER } from '../../electron/node/remote/remote-tune-script.js';
import { RemoteTuner, parseLiveValues, remoteApplyArgs, remoteTuneWords, remoteVerbArgs } from '../../electron/node/remote/remote-tune.js';
import { tuneFactsFromOutput } from '../../electron/node/remote/remote-plan-input.js';
import { REMOTE_SCRIPT } from '../../electron/node/remote/remote-script.js';

const TXID = '20261205T080000Z-abc123';
const plan = (settings: HelperPlanDocument['settings'], confirmTimeoutSec = 60): HelperPlanDocument => ({ kind: 'portwatch-helper-plan', schema: 1, settings, confirmTimeoutSec });

/** What a shell makes of the line ssh sends (ssh joins the remote words with spaces). */
function parsedBy(shell: string, words: readonly string[]): string[] {
  const r = spawnSync(shell, ['-c', `printf '%s\\0' ${words.join(' ')}`], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('the remote tuning command line', () => {
  it('is plain words for the remote login shell: the wrapper survives sh and bash as one argument, unchanged', () => {
    const words = remoteTuneWords(remoteApplyArgs(plan([{ key: 'net.ipv4.ip_local_port_range', low: 32768, high: 60999 }]), TXID), true);
    const expected = ['sudo', '--', 'sh', '-c', REMOTE_TUNE_WRAPPER, 'portwatch-tune', 'apply', '60', TXID, 'range', '32768', '60999'];
    for (const shell of ['/bin/sh', '/bin/bash']) expect(parsedBy(shell, words)).toEqual(expected);
    // No quote, backslash or newline that another login shell (csh, fish) could read differently.
    expect(REMOTE_TUNE_WRAPPER).not.toMatch(/['\n!]/);
    expect(remoteTuneWords(['status'], false).slice(0, 2)).toEqual(['sh', '-c']);
  });

  it('is valid POSIX sh, and the script carried inside the wrapper is the script shown by --show-remote-script', () => {
    expect(spawnSync('/bin/sh', ['-n', '-c', REMOTE_TUNE_SCRIPT]).status).toBe(0);
    const b64 = /^B=([A-Za-z0-9+/=]+);/.exec(REMOTE_TUNE_WRAPPER)![1]!;
    expect(Buffer.from(b64, 'base64').toString('utf8')).toBe(REMOTE_TUNE_SCRIPT);
  });

  it('turns a Linux plan into numeric arguments in the helper’s write order', () => {
    const args = remoteApplyArgs(
      plan(
        [
          { key: 'net.ipv4.tcp_tw_reuse', value: 1 },
          { key: 'net.ipv4.ip_local_port_range', low: 20000, high: 60999 },
          { key: 'net.ipv4.ip_local_reserved_ports', ranges: [{ low: 9000, high: 9010 }, { low: 8080, high: 8080 }] },
          { key: 'net.ipv4.tcp_tw_reuse_delay', value: 500 },
        ],
        30,
      ),
      TXID,
    );
    expect(args).toEqual(['apply', '30', TXID, 'reserved', '8080,9000-9010', 'range', '20000', '60999', 'twreuse', '1', 'twdelay', '500']);
    expect(remoteApplyArgs(plan([{ key: 'net.ipv4.ip_local_reserved_ports', ranges: [] }]), TXID)).toEqual(['apply', '60', TXID, 'reserved', 'none']);
    expect(remoteVerbArgs('confirm', TXID)).toEqual(['confirm', TXID]);
  });

  it('refuses, naming the culprit: another platform, a bad transaction id, a value out of bounds, an unknown word', () => {
    expect(() => remoteApplyArgs(plan([{ key: 'net.inet.ip.portrange.first', value: 10000 }]), TXID)).toThrow(/Linux hosts only; this plan is for darwin/);
    expect(() => remoteApplyArgs(plan([{ key: 'net.ipv4.tcp_tw_reuse', value: 1 }]), '$(reboot)')).toThrow(/transaction id "\$\(reboot\)"/);
    expect(() => remoteApplyArgs(plan([{ key: 'net.ipv4.ip_local_port_range', low: 80, high: 60999 }]), TXID)).toThrow(/plan cannot be sent.*low/);
    expect(() => remoteVerbArgs('revert', 'x;id')).toThrow(/transaction id/);
    expect(() => remoteTuneWords(['status;reboot'], false)).toThrow(/"status;reboot" cannot be sent/);
    expect(() => new RemoteTuner({ connection: { target: { host: 'h' }, controlDir: '/tmp/x' }, launcher: ['ip', 'netns'] })).toThrow(/absolute path/);
  });

  it('10,000 fuzzed plans and ids: every word sent is a number, a port list, an id or a fixed word, or a TuningError', () => {
    const setting = fc.oneof(
      fc.record({ key: fc.constant('net.ipv4.ip_local_port_range'), low: fc.integer({ min: -10, max: 70000 }), high: fc.integer({ min: -10, max: 70000 }) }),
      fc.record({ key: fc.constant('net.ipv4.ip_local_reserved_ports'), ranges: fc.array(fc.record({ low: fc.integer({ min: -1, max: 70000 }), high: fc.integer({ min: -1, max: 70000 }) }), { maxLength: 5 }) }),
      fc.record({ key: fc.constantFrom('net.ipv4.tcp_tw_reuse', 'net.ipv4.tcp_tw_reuse_delay', 'net.inet.tcp.msl', 'x'), value: fc.oneof(fc.integer(), fc.string(), fc.double()) }),
      fc.anything(),
    );
    let shellChecks = 0;
    fc.assert(
      fc.property(fc.array(setting, { maxLength: 5 }), fc.oneof(fc.integer(), fc.anything()), fc.oneof(fc.constant(TXID), fc.string({ maxLength: 30 })), (settings, timeout, txid) => {
        let args: string[];
        try {
          args = remoteApplyArgs({ kind: 'portwatch-helper-plan', schema: 1, settings, confirmTimeoutSec: timeout } as HelperPlanDocument, txid);
        } catch (e) {
          if (!isTuningError(e)) throw e;
          return;
        }
        for (const a of args) expect(a).toMatch(/^(apply|reserved|range|twreuse|twdelay|none|\d{1,5}|[\d,-]+|\d{8}T\d{6}Z-[0-9a-f]{6})$/);
        // A real shell parses the first 200 accepted lines (a process each; the pattern above covers all).
        if (shellChecks++ < 200) expect(parsedBy('/bin/sh', remoteTuneWords(args, true)).slice(5)).toEqual(['portwatch-tune', ...args]);
      }),
      { numRuns: 10_000 },
    );
  }, 600_000);
});

describe('reading the remote host back', () => {
  it('reads head -v of the /proc/sys files into values, a key this kernel lacks as null', () => {
    const live = parseLiveValues('==> /proc/sys/net/ipv4/ip_local_reserved_ports <==\n\n==> /proc/sys/net/ipv4/ip_local_port_range <==\n32768\t60999\n==> /proc/sys/net/ipv4/tcp_tw_reuse <==\n2\n');
    expect(live['net.ipv4.ip_local_reserved_ports']).toBe('');
    expect(live['net.ipv4.ip_local_port_range']).toBe('32768\t60999');
    expect(live['net.ipv4.tcp_tw_reuse']).toBe('2');
    expect(live['net.ipv4.tcp_tw_reuse_delay']).toBeNull();
    expect(parseLiveValues('==> /proc/sys/kernel/x <==\nbad\n==> /etc/passwd <==\nroot')['net.ipv4.tcp_tw_reuse']).toBeNull();
  });

  it('reads the sysctl files and container evidence of the tune read; hostile output gives no files, never a crash', () => {
    // The real script's "tune" mode on this machine, fed straight to the decoder.
    const r = spawnSync('/bin/sh', ['-s', 'tune'], { input: REMOTE_SCRIPT });
    const facts = tuneFactsFromOutput(r.stdout)!;
    expect(facts.sysctlFiles!.every((f) => /^\/(etc|run|usr|lib)\//.test(f.path))).toBe(true);
    expect(facts.environment.container).toBe(spawnSync('test', ['-e', '/.dockerenv']).status === 0 || facts.environment.evidence.length > 0);
    const forged = Buffer.from('@portwatch-remote 1 Linux\n@src /etc/shadow\n root:x\n@end /etc/shadow 0\n@src /etc/sysctl.d/a.conf\n net.ipv4.tcp_tw_reuse = 1\n@end /etc/sysctl.d/a.conf 0\n@done\n');
    expect(tuneFactsFromOutput(forged)!.sysctlFiles).toEqual([{ path: '/etc/sysctl.d/a.conf', text: 'net.ipv4.tcp_tw_reuse = 1\n' }]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        tuneFactsFromOutput(Buffer.concat([Buffer.from('@portwatch-remote 1 Linux\n'), Buffer.from(bytes)]));
      }),
      { numRuns: 2000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseHelperArgv } from '../../electron/helper/argv.js';

describe('the helper command line', () => {
  it.each([
    [['apply', '/tmp/portwatch-abc/plan.json'], { verb: 'apply', planPath: '/tmp/portwatch-abc/plan.json' }],
    [['revert', '20261124T101500Z-a1b2c3'], { verb: 'revert', txid: '20261124T101500Z-a1b2c3' }],
    [['confirm', '20261124T101500Z-a1b2c3'], { verb: 'confirm', txid: '20261124T101500Z-a1b2c3' }],
    [['status'], { verb: 'status' }],
    [['recover'], { verb: 'recover' }],
  ])('accepts %j', (argv, command) => {
    expect(parseHelperArgv(argv)).toEqual({ ok: true, command });
  });

  it.each([
    [[], /no verb/],
    [['APPLY', '/tmp/p.json'], /unknown verb/],
    [['apply'], /one argument/],
    [['apply', 'plan.json'], /absolute path/],
    [['apply', '/tmp/../etc/shadow'], /absolute path/],
    [['apply', '/tmp/./p.json'], /absolute path/],
    [['apply', '/tmp//p.json'], /absolute path/],
    [['apply', '/tmp/p.json', '/tmp/q.json'], /one argument/],
    [['apply', '--plan=/tmp/p.json'], /starts with "-"/],
    [['apply', '/tmp/p.json; rm -rf /'], /absolute path/],
    [['apply', '/tmp/$(id).json'], /absolute path/],
    [['apply', '/tmp/p\n.json'], /control character/],
    [['revert', '-1'], /starts with "-"/],
    [['revert', '20261124T101500Z-A1B2C3'], /not a transaction id/],
    [['revert', '../../etc/passwd'], /not a transaction id/],
    [['revert'], /one argument/],
    [['status', 'now'], /no argument/],
    [['recover', '--force'], /starts with "-"/],
    [['sh', '-c', 'id'], /starts with "-"/],
    [['write', 'net.ipv4.ip_local_port_range', '1 2'], /unknown verb/],
    [['--help'], /starts with "-"/],
    [['apply', `/${'a'.repeat(5000)}`], /longer than/],
  ])('refuses %j', (argv, why) => {
    const r = parseHelperArgv(argv);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(why);
  });
});

// One exit status for bad arguments per command family, as the README's table says: `check` keeps the
// monitoring-plugin convention (3, unknown), every other command uses 64 (EX_USAGE); the message names
// the culprit, and nothing quietly drops what was asked (`tune --range 1-2`).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/portwatch.js';

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d) => (err += d));
  stdout.resume();
  const code = await main(args, { stdout, stderr });
  return { code, stderr: err };
}

const CASES: [string[], number, RegExp][] = [
  [['check', '--frobnicate'], 3, /Unknown option '--frobnicate'/],
  [['check', '--interval', 'soon'], 3, /--interval must be a number of seconds from 0 to 3600, got "soon"/],
  [['check', '--warning', '2'], 3, /--warning must be a ratio above 0 and at most 1, such as 0\.8 \(80 % of usable ports\), got "2"/],
  [['check', '--netns', 'everywhere'], 3, /everywhere/],
  [['capture'], 64, /--out DIR is required/],
  [['capture', '--out', '/nonexistent/pw', '--reads', '0'], 64, /--reads must be a whole number from 1 to 100, got "0"/],
  [['capture', '--frobnicate'], 64, /Unknown option '--frobnicate'/],
  [['tune', '--frobnicate'], 64, /Unknown option '--frobnicate'/],
  [['tune', '--range', 'banana'], 64, /--range must look like 32768-65535 .*got "banana"/],
  [['tune', '--dry-run', '--apply'], 64, /--dry-run and --apply cannot be combined/],
  [['tune', '--confirm-timeout', '0'], 64, /--confirm-timeout must be a whole number from 1 to 3600, got "0"/],
  [['tune', '--revert', 'yesterday'], 64, /--revert needs a transaction id/],
  [['tune', '--ssh-config', '/tmp/x'], 64, /--ssh-config needs --ssh HOST/],
  [['tune', '--ssh=-oProxyCommand=x'], 64, /SSH host "-oProxyCommand=x": starts with "-"/],
  [['tune', '--ssh', 'lb1', '--bundle', '/tmp/x'], 64, /--ssh and --bundle cannot be combined/],
  [['tune', '--ssh', 'lb1', '--recover'], 64, /--recover is not needed with --ssh/],
  [['tune', '--json', '--wide'], 64, /--wide is for the text report; --json prints everything/],
  [['serve', '--port', '99999'], 64, /--port: expected a port number 0\.\.65535, got "99999"/],
  [['serve', '--frobnicate'], 64, /Unknown option '--frobnicate'/],
  [[], 64, /Usage: portwatch <command>/],
  [['frob'], 64, /unknown command "frob"/],
];

describe('bad arguments', () => {
  it.each(CASES)('portwatch %j exits %i and names the culprit', async (args, code, message) => {
    const r = await run(args);
    expect(r.code).toBe(code);
    if (args.length) expect(r.stderr).toMatch(message);
  });
});

describe.runIf(process.platform === 'linux')('tune with a value the plan must refuse (planned from this machine)', () => {
  it.each([
    [['--range', '1-2'], /--range 1-2 cannot be planned here: The range cannot start at 1: the kernel refuses a low end below ip_unprivileged_port_start/],
    [['--range', '1-2', '--dry-run'], /--range 1-2 cannot be planned here/],
    [['--range', '1-2', '--apply', '--yes'], /--range 1-2 cannot be planned here/],
    [['--time-wait', '30'], /--time-wait 30 cannot be planned here: TIME-WAIT cannot be shortened to 30 s on Linux/],
  ])('tune %j exits 64 (not 0), changes nothing, and says why', async (args, message) => {
    const r = await run(['tune', '--interval', '0', ...args]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Nothing was changed/);
  });
});

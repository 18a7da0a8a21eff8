// The desktop app (Electron's API faked: test/desktop/desktop-harness.ts) with a list of remote hosts that
// it reads over the sshd pair (sshd-pair.ts): its ssh, the reads' and the terminal's (a login, tuning),
// runs inside the pair's client namespace.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostMonitors } from '../../electron/desktop/host-monitors.js';
import { createSshRunner } from '../../electron/node/remote/ssh-command.js';
import { startHarness, type Harness } from '../desktop/desktop-harness.js';
import type { SshdPair } from './sshd-pair.js';

export interface HostsOptions {
  hosts: string[];
  /** pair.keyConfig or pair.passwordConfig. */
  sshConfig: string;
  /** Plan for the "remote host" even when this machine looks like a container (it is this machine's namespace). */
  assumeHost?: boolean;
}

export function startDesktopWithHosts(pair: SshdPair, o: HostsOptions): Promise<Harness> {
  const inNamespace = ['/usr/sbin/ip', 'netns', 'exec', pair.client.name];
  let dataDir = '';
  return startHarness({
    before: (dir) => {
      dataDir = dir;
      writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schema: 1, hosts: o.hosts }));
    },
    startHostMonitors: (version) =>
      new HostMonitors({ controlDir: join(dataDir, 'ctl'), version, sshConfig: o.sshConfig, runner: createSshRunner(inNamespace), loginLauncher: inNamespace, ...(o.assumeHost ? { assumeHost: true } : {}) }),
  });
}

// A remote sample over SSH of a host holding ~176,000 sockets, against the reference: `ss -tan` run through
// the same shared SSH connection. The goal is a sample of 150,000 sockets or more in every round, so the
// bulk is ESTABLISHED (156,000: 78,000 loopback connections spread over 9 holder processes, each under the
// 20,000-fd cap), which does not decay; TIME-WAIT (20,000, refreshed before the rounds) would: it lasts
// 60 s and the rounds take longer (the earlier 72,000 + 100,000 set fell to 72k-139k during the rounds).
// Both cross the same veth link and the same ControlMaster connection (compressed), so the ratio is what
// Portwatch's one round trip (all /proc files, /proc/net/tcp{,6}, owners) costs next to the bare socket list.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteBackend } from '../../electron/node/remote/remote-backend.js';
import { createSshRunner, batchArgv, type SshConnection } from '../../electron/node/remote/ssh-command.js';
import { ensureControlDir } from '../../electron/node/remote/control-dir.js';
import { parseSnapshot } from '../../electron/node/platform/parse-snapshot.js';
import { canUseNamespaces } from '../netns/netns.js';
import { startSshdPair } from '../remote/sshd-pair.js';
import { withSocketSet } from './socket-set.js';
import { compare, inProcess, markdownTable } from './measure.js';

const support = canUseNamespaces();
if (!support.ok) {
  console.log(`skipped: ${support.reason}`);
} else {
  await withSocketSet(async (set) => {
    const pair = await startSshdPair('benchssh', { server: set.ns });
    try {
      const connection: SshConnection = {
        target: { host: pair.serverAddress, user: 'root' },
        configFile: pair.keyConfig,
        controlDir: ensureControlDir(join(mkdtempSync(join(pair.dir, 'ctl-')), 'c')),
      };
      const runner = createSshRunner(['ip', 'netns', 'exec', pair.client.name]);
      const backend = createRemoteBackend({ connection, runner, timeoutMs: 120_000 });
      await set.refresh(40_000);
      let minSockets = Infinity;
      let maxSockets = 0;
      const rows = await compare(
        [
          {
            label: 'ss -tan over the same ssh connection (reference)',
            probe: inProcess(async () => {
              const r = await runner(batchArgv(connection, ['ss', '-tan']), '', 120_000);
              if (r.exitCode !== 0) throw new Error(`ss over ssh failed: ${r.stderr}`);
              return r.stdout.toString('latin1').split('\n').length - 2;
            }),
          },
          {
            label: 'Portwatch remote sample (read + parse)',
            probe: inProcess(async () => {
              const snap = parseSnapshot(await backend.readAll());
              const sockets = snap.sockets?.count ?? 0;
              minSockets = Math.min(minSockets, sockets);
              maxSockets = Math.max(maxSockets, sockets);
              if (sockets === 0) throw new Error(`remote sample read no sockets: ${JSON.stringify(snap.sources.filter((s) => s.status !== 'ok'))}`);
              return sockets;
            }),
          },
        ],
        5,
      );
      console.log(`remote host: ${minSockets}–${maxSockets} sockets in the samples (goal: 150,000 or more in every round)`);
      console.log(markdownTable(rows, new Map([['Portwatch remote sample (read + parse)', 'ss -tan over the same ssh connection (reference)']])));
    } finally {
      await pair.close();
    }
  }, { established: 156_000, timeWait: 20_000 });
}

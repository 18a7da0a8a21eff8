// The desktop app's remote hosts against a real sshd in a namespace (test/remote/sshd-pair.ts): each host
// in the list is its own monitor; the exhausted one is seen with its worst destination and process, the
// one nobody answers for is "unknown: Unreachable since …", the tray names the worst, episodes land in
// the host's own folder, and editing the list starts, stops and reorders monitors.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Snapshot } from '../../electron/common/contract.js';
import { HostMonitors, hostStateFolder, type HostReading } from '../../electron/desktop/host-monitors.js';
import { trayStateWithHosts } from '../../electron/desktop/hosts-tray.js';
import { ensureControlDir } from '../../electron/node/remote/control-dir.js';
import { createSshRunner } from '../../electron/node/remote/ssh-command.js';
import { describeNetns } from '../netns/describe-netns.js';
import { exhaustRemote, type RemoteHold } from '../remote/remote-exhaustion.js';
import { startSshdPair, type SshdPair } from '../remote/sshd-pair.js';
import { severitySample } from './samples.js';

describeNetns('desktop remote hosts over a real sshd', () => {
  let pair: SshdPair;
  let hold: RemoteHold;

  beforeAll(async () => {
    pair = await startSshdPair('rd4hm');
    hold = await exhaustRemote(pair);
  }, 60_000);

  afterAll(async () => {
    await pair?.close();
  }, 30_000);

  /** Polls until every host has a reading that satisfies `done` (bounded: 90 s). */
  async function until(monitors: HostMonitors, done: (r: HostReading[]) => boolean): Promise<HostReading[]> {
    for (let i = 0; i < 180; i++) {
      const r = monitors.readings();
      if (done(r)) return r;
      await new Promise((res) => setTimeout(res, 500));
    }
    return monitors.readings();
  }

  it('watches each listed host on its own: the exhausted one with its worst destination, the silent one unreachable, the tray naming the worst', async () => {
    expect(hold.connected).toBe(10);
    const stateDir = mkdtempSync(join(pair.dir, 'state-'));
    const controlDir = ensureControlDir(join(mkdtempSync(join(pair.dir, 'ctl-')), 'c'));
    const reachable = `root@${pair.serverAddress}`;
    // An address on the client's link that nobody holds: connect() gets no answer.
    const silent = `root@${pair.clientAddress.replace(/\.1$/, '.9')}`;
    const monitors = new HostMonitors({ controlDir, version: 'test', sshConfig: pair.keyConfig, stateDir, runner: createSshRunner(['ip', 'netns', 'exec', pair.client.name]) });
    try {
      void monitors.sync([reachable, silent]);
      const readings = await until(monitors, (r) => r[0]?.sample?.severity === 'exhausted' && r[1]?.status.state === 'unreachable' && r[1].sample !== null);
      expect(readings.map((r) => r.label)).toEqual([reachable, silent]);
      const [exhausted, unreachable] = readings as [HostReading, HostReading];
      expect(exhausted.sample?.severity).toBe('exhausted');
      expect(exhausted.sample?.worst?.remoteAddress).toBe('127.0.0.1');
      expect(exhausted.sample?.worst?.remotePort).toBe(8080);
      expect(exhausted.sample?.worst?.inUse).toBe(10);
      expect(exhausted.sample?.worst?.processes[0]?.pid).toBe(hold.pid);
      expect(unreachable.sample?.severity).toBe('unknown');
      expect(unreachable.sample?.severityReason).toMatch(/^Unreachable since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: root@10\.\d+\.\d+\.9/);

      // The tray: this computer is fine, the worst host is named; without the exhausted host, the silent one shows, never ok.
      const now = Date.now();
      const local = { sample: severitySample(now, 'ok', 0.1), paused: false, monitorProblem: null, attributionNote: null, now };
      const tray = trayStateWithHosts(local, readings);
      expect(tray.icon).toBe('exhausted');
      expect(tray.statusLine).toBe(`Exhausted on ${reachable}: 127.0.0.1:8080 — 100 % of ports in use, no port left`);
      const withoutIt = trayStateWithHosts(local, [unreachable]);
      expect(withoutIt.icon).toBe('unknown');
      expect(withoutIt.statusLine).toMatch(new RegExp(`^${silent.replace(/\./g, '\\.')} unknown: Unreachable since `));

      // Each host is a monitor of its own: its dashboard answers for it, its episode is kept in its own folder.
      const snap = await monitors.service(reachable)!.handle({ id: 1, method: 'getSnapshot', params: {} });
      expect(snap.ok && (snap.result as Snapshot).sample?.worst?.key).toBe(exhausted.sample?.worst?.key);
      const info = await monitors.service(silent)!.handle({ id: 2, method: 'getInfo', params: {} });
      expect(info.ok && (info.result as { hostname: string }).hostname).toBe(silent);
      const episodes = join(stateDir, 'hosts', hostStateFolder(reachable), 'episodes.jsonl');
      expect(existsSync(episodes)).toBe(true);
      expect(readFileSync(episodes, 'utf8')).toContain('127.0.0.1');
      expect(existsSync(join(stateDir, 'hosts', hostStateFolder(silent), 'episodes.jsonl'))).toBe(false);

      // Editing the list: reorder keeps both monitors (same service), remove stops one.
      const service = monitors.service(reachable);
      await monitors.sync([silent, reachable]);
      expect(monitors.readings().map((r) => r.label)).toEqual([silent, reachable]);
      expect(monitors.service(reachable)).toBe(service);
      await monitors.sync([reachable]);
      expect(monitors.readings().map((r) => r.label)).toEqual([reachable]);
      expect(monitors.service(silent)).toBeNull();
    } finally {
      await monitors.close();
    }
    expect(monitors.readings()).toEqual([]);
  }, 150_000);

  it('reads no host while its SSH control directory is open to others, and says why', async () => {
    const open = join(mkdtempSync(join(pair.dir, 'ctl-')), 'c');
    mkdirSync(open, { mode: 0o777 });
    chmodSync(open, 0o777);
    const monitors = new HostMonitors({ controlDir: open, version: 'test', sshConfig: pair.keyConfig, runner: createSshRunner(['ip', 'netns', 'exec', pair.client.name]) });
    await monitors.sync([`root@${pair.serverAddress}`]);
    const [r] = monitors.readings();
    expect(r).toMatchObject({ label: `root@${pair.serverAddress}`, sample: null, problem: `${open}: is open to other users (mode 777); it must be 700` });
    expect(monitors.service(`root@${pair.serverAddress}`)).toBeNull();
    expect(readdirSync(open)).toEqual([]);
    await monitors.close();
  });
});

// The plumbing of the namespace end-to-end test, checked here without Electron: the wrapper starts its
// program inside the namespace as the unprivileged user with the inspector and DevTools ports pinned, and
// ports forwarded from the host reach listeners on the namespace's loopback.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNetns } from '../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../netns/netns.js';
import { namespaceWrapper, unprivilegedUid } from './launch.js';
import { forwardIntoNamespace, freePort } from './netns-forward.js';

describeNetns('desktop end-to-end plumbing: wrapper and port forwarding into a namespace', () => {
  let ns: Namespace;
  let dir: string;
  beforeAll(async () => {
    ns = await createNamespace('e2eplumb');
    dir = mkdtempSync(join(tmpdir(), 'pw-plumb-'));
    chmodSync(dir, 0o755);
  });
  afterAll(async () => {
    await ns?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the program in the namespace as the unprivileged user, with Playwright\'s port-0 flags pinned and the app folder last', () => {
    const fake = join(dir, 'fake-electron');
    writeFileSync(fake, '#!/bin/sh\necho "$(id -u) $(readlink /proc/self/ns/net) $HOME"\nfor a in "$@"; do echo "arg:$a"; done\n');
    chmodSync(fake, 0o755);
    const uid = unprivilegedUid({});
    const home = join(dir, 'home dir');
    const wrapper = namespaceWrapper({ ns: ns.name, uid, home, inspectPort: 19229, devtoolsPort: 19222, app: { executablePath: fake, args: ["/repo/it's here"], kind: 'test' } });
    const r = spawnSync(wrapper, ['--no-sandbox', '--inspect=0', '--remote-debugging-port=0', '--hidden'], { encoding: 'utf8', timeout: 10_000 });
    expect(r.stderr).toBe('');
    const [who, ...args] = r.stdout.trim().split('\n');
    const hostNs = readlinkSync('/proc/self/ns/net');
    const [u, netns, ...homeParts] = who!.split(' ');
    expect(Number(u)).toBe(uid);
    expect(netns).not.toBe(hostNs);
    expect(homeParts.join(' ')).toBe(home);
    expect(args).toEqual(['arg:--no-sandbox', 'arg:--inspect=127.0.0.1:19229', 'arg:--remote-debugging-port=19222', 'arg:--hidden', "arg:/repo/it's here"]);
  });

  it('forwards host loopback ports to listeners on the namespace\'s loopback', async () => {
    const port = await freePort();
    const echo = ns.spawn([process.execPath, '-e', `require('net').createServer((s) => s.pipe(s)).listen(${port}, '127.0.0.1', () => console.log(JSON.stringify({ ready: true })))`]);
    await echo.waitForEvent((e) => e.ready === true, 10_000);
    const stop = await forwardIntoNamespace(ns, [port]);
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        const c = net.connect(port, '127.0.0.1', () => c.write('ping'));
        c.once('data', (d) => {
          resolve(d.toString());
          c.destroy();
        });
        c.once('error', reject);
      });
      expect(reply).toBe('ping');
    } finally {
      stop();
    }
  });
});

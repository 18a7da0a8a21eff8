import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TCP_STATE } from '../../../../../electron/common/tcp-state.js';
import { findAddon, loadSockDiag, type SockDiagAddon } from '../../../../../electron/node/platform/linux/native/load.js';
import { parseInetDiag } from '../../../../../electron/node/platform/parse/inet-diag.js';
import { parseSocketOwners } from '../../../../../electron/node/platform/parse/socket-owners.js';
import { socketRow } from '../../../../../electron/node/platform/socket-table.js';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'pw-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function addon(): SockDiagAddon {
  const a = loadSockDiag();
  if ('unavailable' in a) throw new Error(`the addon must be built for these tests (npm install): ${a.unavailable}`);
  return a;
}

describe('loadSockDiag', () => {
  it('finds the addon built at the package root from any folder below it', () => {
    expect(findAddon(join(repo, 'electron/node/platform/linux/native'))).toBe(join(repo, 'build/Release/sock_diag.node'));
    expect(findAddon(scratch)).toBeNull();
  });

  it('loads the built addon', () => {
    expect(typeof addon().dumpTcp).toBe('function');
  });

  it('says why, and does not throw, when the file is missing', () => {
    const r = loadSockDiag(join(scratch, 'missing.node'));
    expect(r).toEqual({ unavailable: expect.stringContaining('could not be loaded') });
  });

  it('says why when the file is not a shared object (e.g. built for another platform)', () => {
    const file = join(scratch, 'junk.node');
    writeFileSync(file, 'this is not an ELF file');
    expect(loadSockDiag(file)).toEqual({ unavailable: expect.stringMatching(/could not be loaded: .*(ELF|header|short)/i) });
  });

  it('says why when a native module lacks the functions', () => {
    const other = join(repo, 'node_modules/node-pty/build/Release/pty.node');
    expect(loadSockDiag(other)).toEqual({ unavailable: expect.stringContaining('does not export dumpTcp and scanSocketOwners') });
  });
});

describe('the sock_diag addon on this machine', () => {
  it('refuses a family other than 4 or 6', () => {
    expect(() => addon().dumpTcp(5 as 4, 1)).toThrow(TypeError);
  });

  it('dumps a listening socket of ours, with its inode, ending the dump with NLMSG_DONE', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const { table, problems } = parseInetDiag(await addon().dumpTcp(4, 1 << TCP_STATE.LISTEN));
      expect(problems).toEqual([]);
      const rows = Array.from({ length: table.count }, (_, i) => socketRow(table, i));
      expect(rows.every((r) => r.state === TCP_STATE.LISTEN)).toBe(true);
      const ours = rows.find((r) => r.localPort === port && r.localAddr === '127.0.0.1');
      expect(ours?.inode).toBeGreaterThan(0);

      const owners = parseSocketOwners(await addon().scanSocketOwners());
      expect(owners.problems).toEqual([]);
      expect(owners.owners.byInode.get(ours!.inode)).toBe(process.pid);
      expect(owners.owners.names.get(process.pid)).toBeTruthy();
    } finally {
      server.close();
    }
  });

  it('returns an empty dump (just NLMSG_DONE) for an empty state mask', async () => {
    const { table, problems } = parseInetDiag(await addon().dumpTcp(6, 0));
    expect(problems).toEqual([]);
    expect(table.count).toBe(0);
  });
});

// The platform chooser: each platform's backend and parser load on first use (so a command loads its own
// platform's modules only, see test/cli/startup-modules.test.ts), and reading through it is reading the
// platform's own backend.
import { describe, expect, it } from 'vitest';
import { createBackend, loadSnapshotParser } from '../../../electron/node/platform/index.js';
import { parseDarwinSnapshot } from '../../../electron/node/platform/darwin/snapshot.js';
import { parseLinuxSnapshot } from '../../../electron/node/platform/linux/snapshot.js';
import { parseWin32Snapshot } from '../../../electron/node/platform/win32/snapshot.js';
import { parseSnapshot } from '../../../electron/node/platform/parse-snapshot.js';
import { macRaw } from '../tuning/darwin-plan-fixtures.js';

describe('createBackend', () => {
  it.skipIf(process.platform !== 'linux')("reads this Linux machine through the Linux backend, once loaded; closes before and after a read", async () => {
    const backend = createBackend('linux', { owners: false });
    expect(backend.platform).toBe('linux');
    await backend.close?.();
    const ready = backend.ready?.(); // loads the Linux backend and parser, outside any read's cost
    expect(backend.ready?.()).toBe(ready); // once: later calls (one per tick) are the settled promise
    await ready;
    const raw = await backend.readAll();
    expect(raw.platform).toBe('linux');
    expect(raw.sources.find((s) => s.name === 'net.ipv4.ip_local_port_range')?.status).toBe('ok');
    const snapshot = (await loadSnapshotParser(raw.platform))(raw);
    expect(snapshot.kernel.portRange?.low).toBeGreaterThan(0);
    const tick = await backend.readTick();
    expect(tick.sources.every((s) => s.status !== 'unsupported')).toBe(true);
    await backend.close?.();
    // a read after close opens what it needs again
    expect((await backend.readAll()).platform).toBe('linux');
    await backend.close?.();
  });

  it('answers for a platform without a backend with every source unsupported, naming it', async () => {
    const backend = createBackend('aix');
    const raw = await backend.readAll();
    expect(raw.sources).toEqual([{ name: 'sockets', status: 'unsupported', error: 'no Portwatch backend for aix yet', durationMs: 0 }]);
    expect((await backend.readTick()).sources[0]).toMatchObject({ status: 'unsupported', error: 'no Portwatch backend for aix yet' });
  });
});

describe('loadSnapshotParser', () => {
  it("loads each platform's own parser, the one parseSnapshot uses", async () => {
    expect(loadSnapshotParser('linux')).toBe(loadSnapshotParser('linux')); // loaded once, then the same promise
    expect(await loadSnapshotParser('linux')).toBe(parseLinuxSnapshot);
    expect(await loadSnapshotParser('darwin')).toBe(parseDarwinSnapshot);
    expect(await loadSnapshotParser('win32')).toBe(parseWin32Snapshot);
    const raw = macRaw();
    expect((await loadSnapshotParser('darwin'))(raw)).toEqual(parseSnapshot(raw));
  });
});

// Two backends in one process read at the same moment: `serve`'s sampler and the plan gathered when Apply
// is pressed. Each must get the whole reading. A read guard shared by name once answered the second one
// "previous read still in progress", so the plan saw no port range and Apply refused a reviewed change.
import { describe, expect, it } from 'vitest';
import { createLinuxBackend } from '../../../../electron/node/platform/linux/backend.js';
import { parseLinuxSnapshot } from '../../../../electron/node/platform/linux/snapshot.js';

describe.runIf(process.platform === 'linux')('two Linux backends reading at once', () => {
  it('both read every source of /proc and the socket table', async () => {
    const monitor = createLinuxBackend({ owners: false });
    const planner = createLinuxBackend({ owners: false });
    try {
      const raws = await Promise.all([monitor.readAll(), planner.readAll(), monitor.readAll()]);
      for (const raw of raws) {
        const refused = raw.sources.filter((s) => s.status === 'timeout' || s.status === 'failed');
        expect(refused.map((s) => `${s.name}: ${s.error}`)).toEqual([]);
        const snap = parseLinuxSnapshot(raw);
        expect(snap.kernel.portRange).not.toBeNull();
        expect(snap.kernel.reservedPorts).not.toBeNull();
      }
    } finally {
      await Promise.all([monitor.close?.(), planner.close?.()]);
    }
  });
});

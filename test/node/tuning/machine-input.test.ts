// The apply path's sampling (gatherPlanInput) and the Sampler leave no file handle behind: the tick's
// kept-open procfs handles used to be dropped unclosed, and Node then printed "Closing file descriptor
// N on garbage collection" during `tune --apply` and `npm test`.
import { readdirSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gatherPlanInput } from '../../../electron/node/tuning/machine-input.js';
import { Sampler } from '../../../electron/node/sampler/sampler.js';
import { createBackend } from '../../../electron/node/platform/index.js';

/** Our open descriptors on the tick's procfs files (sockstat, snmp). */
function tickFds(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (/\/net\/(sockstat|snmp)( \(deleted\))?$/.test(readlinkSync(`/proc/self/fd/${fd}`))) n++;
    } catch {
      // the descriptor of the readdir itself is gone by now
    }
  }
  return n;
}

describe.runIf(process.platform === 'linux')('kept-open tick handles', () => {
  it('are closed when gatherPlanInput (the apply path) returns', async () => {
    const before = tickFds();
    await gatherPlanInput({ intervalSec: 0, options: {} });
    expect(tickFds()).toBe(before);
  });

  it('are closed by Sampler.stop, and reopened by a later read', async () => {
    const before = tickFds();
    const sampler = new Sampler({ backend: createBackend('linux', { owners: false }) });
    await sampler.sampleOnce();
    expect(tickFds()).toBe(before + 2);
    await sampler.stop();
    expect(tickFds()).toBe(before);
    await sampler.sampleOnce();
    expect(tickFds()).toBe(before + 2);
    await sampler.stop();
    expect(tickFds()).toBe(before);
  });
});

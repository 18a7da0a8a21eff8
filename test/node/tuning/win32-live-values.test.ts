// Verification reads on Windows: netsh show and reg query need no elevation; the client parses netsh by
// shape (here German output) through the same store the helper writes with. Fake netsh/reg runner.
import { describe, expect, it } from 'vitest';
import { TuningClient } from '../../../electron/node/tuning/tuning-client.js';
import { verifySettings } from '../../../electron/node/tuning/live-values.js';
import { createFakeWindows } from '../../helper/win32-fake-system.js';

describe('live values on Windows', () => {
  it('reads both dynamic ranges (German netsh) and TcpTimedWaitDelay, and verifies a plan against them', async () => {
    const w = createFakeWindows({ language: 'de', values: { ipv4: { start: 32768, num: 32768 }, timedWaitDelay: 30 } });
    const c = TuningClient.create({ elevation: { method: 'direct', prefix: ['C:\\node.exe', 'C:\\h.js'] }, platform: 'win32', runner: w.runner });
    const live = await c.readLive();
    expect(live['win32.ipv4.dynamicport.tcp']).toBe('start=32768 num=32768');
    expect(live['win32.ipv6.dynamicport.tcp']).toBe('start=49152 num=16384');
    expect(live['win32.tcpip.TcpTimedWaitDelay']).toBe('30');
    expect(live['net.inet.tcp.msl']).toBeNull();
    expect(
      verifySettings(
        [
          { key: 'win32.ipv4.dynamicport.tcp', start: 32768, num: 32768 },
          { key: 'win32.ipv6.dynamicport.tcp', start: 32768, num: 32768 },
        ],
        live,
      ).settings.map((s) => s.ok),
    ).toEqual([true, false]);
  });
});

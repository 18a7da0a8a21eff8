// Verification reads on macOS: the client reads the live values without privileges (sysctl -n), through
// the same store the helper writes with; the command runner is the fake Mac (captured sysctl output).
import { describe, expect, it } from 'vitest';
import { TuningClient } from '../../../electron/node/tuning/tuning-client.js';
import { verifySettings } from '../../../electron/node/tuning/live-values.js';
import { createFakeMac } from '../../helper/darwin-fake-system.js';

describe('live values on macOS', () => {
  it('reads first, last and msl with sysctl -n, leaves other platforms\' keys null, and verifies a plan against them', async () => {
    const mac = createFakeMac();
    const c = TuningClient.create({ elevation: { method: 'direct', prefix: ['/usr/local/bin/node', '/h.js'] }, platform: 'darwin', runner: mac.runner });
    const live = await c.readLive();
    expect(live['net.inet.ip.portrange.first']).toBe('49152');
    expect(live['net.inet.ip.portrange.last']).toBe('65535');
    expect(live['net.inet.tcp.msl']).toBe('15000');
    expect(live['net.ipv4.ip_local_port_range']).toBeNull();
    expect(live['win32.ipv4.dynamicport.tcp']).toBeNull();
    expect(mac.calls.every((a) => a[0] === '/usr/sbin/sysctl' && a[1] === '-n')).toBe(true);
    expect(verifySettings([{ key: 'net.inet.ip.portrange.first', value: 32768 }], live)).toEqual({
      ok: false,
      settings: [{ key: 'net.inet.ip.portrange.first', wanted: '32768', now: '49152', ok: false }],
    });
  });
});

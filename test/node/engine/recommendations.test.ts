import { describe, expect, it } from 'vitest';
import { finTimeoutNote, ownersRecommendation, timedWaitDelayRecommendation, twReuseRecommendations } from '../../../electron/node/engine/recommendations.js';
import { linuxKernel } from './engine-fixtures.js';

describe('shared recommendations', () => {
  it('suggests tcp_tw_reuse=1 with what it needs and what it gives', () => {
    const [r] = twReuseRecommendations('linux', linuxKernel(), 28232);
    expect(r!.setting).toEqual({ key: 'net.ipv4.tcp_tw_reuse', current: '2', suggested: '1' });
    expect(r!.text).toMatch(/currently 2: loopback only/);
    expect(r!.text).toMatch(/only applies to outgoing connections and needs net\.ipv4\.tcp_timestamps on/);
    expect(r!.text).toMatch(/about 28,232\/s instead of 471\/s/);
  });

  it('suggests nothing for tw_reuse when it is already 1 with timestamps, and nothing outside Linux', () => {
    expect(twReuseRecommendations('linux', linuxKernel({ twReuse: 1 }), 100)).toEqual([]);
    expect(twReuseRecommendations('darwin', linuxKernel({ twReuse: null }), 100)).toEqual([]);
  });

  it('states the tcp_fin_timeout fact the right way round, on Linux only', () => {
    expect(finTimeoutNote('linux')!.text).toMatch(/does not shorten TIME-WAIT/);
    expect(finTimeoutNote('win32')).toBeNull();
  });

  it('shortens TcpTimedWaitDelay on Windows only when it is above 30 s', () => {
    expect(timedWaitDelayRecommendation('win32', linuxKernel({ timeWaitSec: 120 }))!.setting!.suggested).toBe('30');
    expect(timedWaitDelayRecommendation('win32', linuxKernel({ timeWaitSec: 30 }))).toBeNull();
    expect(timedWaitDelayRecommendation('linux', linuxKernel())).toBeNull();
  });

  it('names owners, or nothing when none is known', () => {
    expect(ownersRecommendation([{ pid: 3, name: 'curl', sockets: 1200 }], 'From')!.text).toBe('From: curl (pid 3): 1,200.');
    expect(ownersRecommendation([], 'From')).toBeNull();
  });
});

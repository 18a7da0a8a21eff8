// The sample carries the thresholds it was judged by and each destination's own level, so the dashboard
// colours by the user's thresholds and never by the defaults.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_CONFIG } from '../../../electron/common/config.js';
import { sampleSchema } from '../../../electron/common/model-schema.js';
import { validate } from '../../../electron/common/schema.js';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { linuxKernel, outbound, snapshotOf } from './engine-fixtures.js';

const cost = { wallMs: 1, cpuMs: 1 };
const hundredPorts = linuxKernel({ portRange: { low: 40000, high: 40099 } });
const rows = [
  ...outbound(50, { remote: '10.0.0.2', port: 80, firstPort: 40000 }),
  ...outbound(20, { remote: '10.0.0.3', port: 80, firstPort: 40000 }),
];

describe('Analyzer: thresholds and per-destination severity in the sample', () => {
  it('judges each destination by the user thresholds, not the defaults', () => {
    const config = { ...structuredClone(DEFAULT_ANALYSIS_CONFIG), thresholds: { warning: 0.4, critical: 0.45 } };
    const s = new Analyzer(config).analyze(snapshotOf(rows, { kernel: hundredPorts }), cost);
    expect(s.thresholds).toEqual({ warning: 0.4, critical: 0.45 });
    expect(s.destinations.map((d) => [d.remoteAddress, d.utilization, d.severity])).toEqual([
      ['10.0.0.2', 0.5, 'critical'],
      ['10.0.0.3', 0.2, 'ok'],
    ]);
    expect(s.worst?.severity).toBe('critical');
    expect(validate(sampleSchema, JSON.parse(JSON.stringify(s)), 'sample').ok).toBe(true);
  });

  it('with the defaults, the same half-used destination is ok', () => {
    const s = new Analyzer().analyze(snapshotOf(rows, { kernel: hundredPorts }), cost);
    expect(s.thresholds).toEqual(DEFAULT_ANALYSIS_CONFIG.thresholds);
    expect(s.destinations[0]!.severity).toBe('ok');
  });
});

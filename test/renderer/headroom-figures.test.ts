import { describe, expect, it } from 'vitest';
import { headroomFigures } from '../../renderer/src/headroom-figures.js';
import { makeSample } from '../node/service/make-sample.js';
import { Analyzer } from '../../electron/node/engine/analyzer.js';
import { linuxKernel, outbound, snapshotOf } from '../node/engine/engine-fixtures.js';

const unreadSample = () =>
  makeSample(1, 0, {
    severity: 'unknown',
    socketTableRead: false,
    worst: null,
    destinations: [],
    destinationCount: 0,
    rates: { newConnectionsPerSec: 1, holdSec: 60, sustainablePerDestinationPerSec: 28232 / 60, headroomPerSec: null },
  });

describe('the headroom panel\'s figures', () => {
  it('say the time to exhaustion is unknown, and the sustainable rate a ceiling, when no socket table was read', () => {
    expect(headroomFigures(unreadSample())).toEqual({ timeToExhaustion: 'unknown', heading: false, sustainable: 'at most 471/s', headroom: '—', overRate: false });
  });
  it('say the time to exhaustion is unknown when the range is unknown, with no rate to give', () => {
    const s = new Analyzer().analyze(snapshotOf(outbound(3, { remote: '10.0.0.2', port: 80 }), { kernel: linuxKernel({ portRange: null }) }), { wallMs: 1, cpuMs: 1 });
    expect(headroomFigures(s)).toEqual({ timeToExhaustion: 'unknown', heading: false, sustainable: '—', headroom: '—', overRate: false });
  });
  it('say "not heading there" only for a sample that was read, and nothing before the first', () => {
    expect(headroomFigures(makeSample(1, 0, { worst: null, destinations: [] }))).toMatchObject({ timeToExhaustion: 'not heading there', heading: false, sustainable: '471/s' });
    expect(headroomFigures(null)).toEqual({ timeToExhaustion: '—', heading: false, sustainable: '—', headroom: '—', overRate: false });
  });
  it('give the time left and an over-rate headroom when a trend says the range runs out', () => {
    const s = makeSample(1, 20_000, { timeToExhaustionSec: 240, rates: { newConnectionsPerSec: 600, holdSec: 60, sustainablePerDestinationPerSec: 470, headroomPerSec: -130 } });
    expect(headroomFigures(s)).toEqual({ timeToExhaustion: '4 min', heading: true, sustainable: '470/s', headroom: '-130/s', overRate: true });
  });
});

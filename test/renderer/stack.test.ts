import { describe, expect, it } from 'vitest';
import { stackColumns } from '../../renderer/src/charts/stack.js';
import { minRedrawIntervalMs, xRange } from '../../renderer/src/charts/setup.js';

describe('stackColumns', () => {
  it('stacks bands in order, each filling down to the band below it, keeping its own value for the tooltip', () => {
    const s = stackColumns([1, 2], [
      [1, 2],
      [0, 0],
      [3, 4],
    ]);
    expect(s.data[0]!.map((p) => p.y)).toEqual([1, 2]);
    expect(s.data[1]).toEqual([]); // zero all along: nothing to draw
    expect(s.data[2]!.map((p) => [p.y, p.v])).toEqual([
      [4, 3],
      [6, 4],
    ]);
    expect(s.fill).toEqual(['origin', 'origin', 0]);
  });

  it('turns a gap in a lower band into a gap for every band above it', () => {
    const s = stackColumns([1, 2, 3], [
      [1, null, 1],
      [2, 2, 2],
    ]);
    expect(s.data[1]!.map((p) => p.y)).toEqual([3, null, 3]);
  });
});

describe('chart timing helpers', () => {
  it('redraws a day window at most every 15 s and a 5-minute window at once', () => {
    expect(minRedrawIntervalMs(288_000)).toBe(15_000);
    expect(minRedrawIntervalMs(1000)).toBe(125);
  });
  it('starts the x axis at the first data of a young monitor, never narrower than a minute', () => {
    expect(xRange(1_000_000, 300, 990_000)).toEqual({ min: 940_000, max: 1_000_000 });
    expect(xRange(1_000_000, 300, 800_000)).toEqual({ min: 800_000, max: 1_000_000 });
    expect(xRange(1_000_000, 300, 100)).toEqual({ min: 700_000, max: 1_000_000 });
  });
});

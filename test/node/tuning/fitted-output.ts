// What `tune` prints by default against what it prints with --wide: the same words in the same order,
// prose wrapped to the width, and every line still wider than that one --wide printed whole (a command,
// a value, a file's line), never a sentence that overflows.
import { expect } from 'vitest';

const words = (t: string): string[] => t.split(/\s+/).filter((w) => w !== '');

export function expectFitted(fitted: string, wide: string, width = 80): void {
  expect(words(fitted)).toEqual(words(wide));
  const wideLines = new Set(wide.split('\n'));
  const over = (t: string): string[] => t.split('\n').filter((l) => l.length > width);
  for (const l of over(fitted)) expect(wideLines.has(l), `a wrapped line over ${width} columns: ${l}`).toBe(true);
  // The case is only a test if --wide had prose to wrap.
  expect(over(wide).length).toBeGreaterThan(over(fitted).length);
}

// Numbers in plan texts: counts and rates written as everywhere else (common/format.ts), seconds, port lists.
import { formatCount, formatRate } from '../../common/format.js';

/** 28232 → "28,232" (without Intl: its first use costs a command ~15 ms of start-up). */
export const count = formatCount;

/** 470.53 → "471/s"; 47.25 → "47.3/s"; 0.5 → "0.5/s"; unknown when there is no rate. */
export function rate(perSec: number | null): string {
  if (perSec === null || !Number.isFinite(perSec)) return 'unknown';
  return formatRate(perSec);
}

/** 60 → "60 s"; 0.1 → "0.1 s". */
export function seconds(s: number): string {
  return `${Number(s.toFixed(3))} s`;
}

/** A short list of ports: "8080, 9090 and 3 more". */
export function portList(ports: readonly number[], shown = 8): string {
  const head = ports.slice(0, shown).join(', ');
  return ports.length > shown ? `${head} and ${ports.length - shown} more` : head;
}

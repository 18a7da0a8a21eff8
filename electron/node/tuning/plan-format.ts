// Numbers in plan texts: counts with thousands separators, rates per second, seconds.

/** 28232 → "28,232". */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 470.53 → "471/s"; 0.5 → "0.5/s". */
export function rate(perSec: number | null): string {
  if (perSec === null || !Number.isFinite(perSec)) return 'unknown';
  if (perSec >= 100) return `${count(perSec)}/s`;
  if (perSec >= 10) return `${perSec.toFixed(0)}/s`;
  return `${Number(perSec.toFixed(1))}/s`;
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

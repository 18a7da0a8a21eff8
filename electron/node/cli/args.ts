// Argument value parsers shared by the subcommands; each error names the flag and the value.

/** A number of seconds within [min, max]; returns the error text when bad. */
export function parseSeconds(text: string | undefined, fallback: number, flag: string, min: number, max: number): number | string {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    return `${flag} must be a number of seconds from ${min} to ${max}, got ${JSON.stringify(text)}`;
  }
  return n;
}

/** A whole number within [min, max]; returns the error text when bad. */
export function parseWhole(text: string | undefined, fallback: number, flag: string, min: number, max: number): number | string {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) {
    return `${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`;
  }
  return n;
}

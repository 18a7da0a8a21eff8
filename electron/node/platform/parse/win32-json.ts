// Reads the JSON that PowerShell's ConvertTo-Json prints: text in UTF-8 (the backend asks for it) with
// an optional byte-order mark, a list or (for a single object without @()) one object. Pure; never throws.

/** The elements of a ConvertTo-Json document, or why it cannot be read. */
export function jsonElements(data: Uint8Array | string, source: string): { elements: unknown[] } | { problem: string } {
  let text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.trim();
  if (text === '') return { problem: `${source}: empty output (expected a JSON list)` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { problem: `${source}: not valid JSON (${(err as Error).message})` };
  }
  if (Array.isArray(json)) return { elements: json };
  // Windows PowerShell 5.1 sometimes wraps a list as {"value": [...], "Count": n} (System.Array's extended type data).
  if (typeof json === 'object' && json !== null && Array.isArray((json as { value?: unknown }).value) && 'Count' in json) {
    return { elements: (json as unknown as { value: unknown[] }).value };
  }
  if (typeof json === 'object' && json !== null) return { elements: [json] }; // ConvertTo-Json of one object
  return { problem: `${source}: expected a JSON list or object, got ${json === null ? 'null' : typeof json}` };
}

/** A whole number from a JSON value (a number, or digits as text), within bounds, else undefined. */
export function wholeNumber(v: unknown, min: number, max: number): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

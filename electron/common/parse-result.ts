// What every pure parser answers. In common/ because the privileged helper parses the same command
// outputs as the engine and may import neither the engine nor Node-only code.

/** A parser's answer: the value (null when nothing usable was read) and what could not be read. */
export interface ParseResult<T> {
  value: T | null;
  problems: string[];
}

/** Bytes as text with every byte one character (latin1): numbers and ASCII labels read the same in any code page. */
export function bytesAsLatin1(data: Uint8Array | string): string {
  if (typeof data === 'string') return data;
  let out = '';
  for (let i = 0; i < data.length; i += 8192) out += String.fromCharCode(...data.subarray(i, i + 8192));
  return out;
}

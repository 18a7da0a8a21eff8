// A minimal Apple icon (.icns) writer: PNG payloads under the OSType codes macOS reads for each pixel
// size (ImageMagick 6 cannot write .icns). Layout: "icns" + total length, then per image its OSType,
// its length (8-byte header included) and the PNG bytes, all lengths big-endian.

/** PNG OSTypes by pixel size; 32, 64, 256, 512 and 1024 also serve as @2x of the size below them. */
export const ICNS_TYPES: readonly { type: string; pixels: number }[] = [
  { type: 'icp4', pixels: 16 },
  { type: 'icp5', pixels: 32 },
  { type: 'icp6', pixels: 64 },
  { type: 'ic07', pixels: 128 },
  { type: 'ic08', pixels: 256 },
  { type: 'ic09', pixels: 512 },
  { type: 'ic10', pixels: 1024 },
  { type: 'ic11', pixels: 32 },
  { type: 'ic12', pixels: 64 },
  { type: 'ic13', pixels: 256 },
  { type: 'ic14', pixels: 512 },
];

/** The .icns bytes for PNGs by pixel size (every size ICNS_TYPES names must be given). */
export function buildIcns(pngBySize: ReadonlyMap<number, Uint8Array>): Buffer {
  const parts: Buffer[] = [];
  for (const { type, pixels } of ICNS_TYPES) {
    const png = pngBySize.get(pixels);
    if (!png) throw new Error(`buildIcns: no ${pixels}px PNG for ${type}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    parts.push(head, Buffer.from(png));
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

/** The entries of an .icns file (type and payload), or an error naming the offset that is wrong. */
export function readIcns(buf: Uint8Array): { entries: { type: string; data: Buffer }[] } | { error: string } {
  const b = Buffer.from(buf);
  if (b.length < 8 || b.toString('latin1', 0, 4) !== 'icns') return { error: 'not an icns file (magic)' };
  if (b.readUInt32BE(4) !== b.length) return { error: `total length ${b.readUInt32BE(4)} is not the file size ${b.length}` };
  const entries: { type: string; data: Buffer }[] = [];
  let off = 8;
  while (off < b.length) {
    if (off + 8 > b.length) return { error: `truncated entry header at ${off}` };
    const len = b.readUInt32BE(off + 4);
    if (len < 8 || off + len > b.length) return { error: `bad entry length ${len} at ${off}` };
    entries.push({ type: b.toString('latin1', off, off + 4), data: b.subarray(off + 8, off + len) });
    off += len;
  }
  return { entries };
}

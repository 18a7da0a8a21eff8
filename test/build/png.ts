// A small PNG reader for icon tests: 8-bit RGBA or RGB, grey or grey+alpha, and palette images,
// non-interlaced (what rsvg-convert and ImageMagick write). Returns RGBA pixels.
import { inflateSync } from 'node:zlib';

export interface Rgba {
  width: number;
  height: number;
  /** width * height * 4 bytes. */
  pixels: Uint8Array;
}

/** Width and height from the IHDR chunk. */
export function pngSize(buf: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(buf);
  if (b.toString('latin1', 1, 4) !== 'PNG') throw new Error('not a PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** Decodes a PNG to RGBA. */
export function decodePng(buf: Uint8Array): Rgba {
  const b = Buffer.from(buf);
  const { width, height } = pngSize(b);
  const depth = b[24]!;
  const colorType = b[25]!;
  if (depth !== 8 || b[28] !== 0) throw new Error(`unsupported PNG: depth ${depth}, interlace ${b[28]}`);
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType as 0 | 2 | 3 | 4 | 6];
  if (!channels) throw new Error(`unsupported colour type ${colorType}`);
  const idat: Buffer[] = [];
  let palette: Buffer | null = null;
  let trns: Buffer | null = null;
  for (let off = 8; off < b.length; ) {
    const len = b.readUInt32BE(off);
    const type = b.toString('latin1', off + 4, off + 8);
    const data = b.subarray(off + 8, off + 8 + len);
    if (type === 'IDAT') idat.push(data);
    if (type === 'PLTE') palette = data;
    if (type === 'tRNS') trns = data;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const up = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      let v = line[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += up;
      else if (filter === 3) v += (a + up) >> 1;
      else if (filter === 4) {
        const p = a + up - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
      }
      out[y * stride + x] = v & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = out.subarray(i * channels, (i + 1) * channels);
    let rgba: [number, number, number, number];
    if (colorType === 6) rgba = [s[0]!, s[1]!, s[2]!, s[3]!];
    else if (colorType === 2) rgba = [s[0]!, s[1]!, s[2]!, 255];
    else if (colorType === 4) rgba = [s[0]!, s[0]!, s[0]!, s[1]!];
    else if (colorType === 0) rgba = [s[0]!, s[0]!, s[0]!, 255];
    else {
      const k = s[0]!;
      rgba = [palette![k * 3]!, palette![k * 3 + 1]!, palette![k * 3 + 2]!, trns && k < trns.length ? trns[k]! : 255];
    }
    pixels.set(rgba, i * 4);
  }
  return { width, height, pixels };
}

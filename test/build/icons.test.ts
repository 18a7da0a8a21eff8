// The icons: every size electron-builder and the tray need exists at its size; tray glyphs differ in shape
// (seen without colour: alpha and lightness only); the committed drawings are what icon-art.ts draws.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRAY_ICON_NAMES, type TrayIconName } from '../../electron/desktop/tray-state.js';
import { buildIcns, ICNS_TYPES, readIcns } from '../../build/scripts/icns.js';
import { appIconSvg, trayColorSvg, trayTemplateSvg } from '../../build/scripts/icon-art.js';
import { APP_PNG_SIZES, ICO_SIZES, TRAY_SIZES } from '../../build/scripts/make-icons.js';
import { decodePng, pngSize } from './png.js';

const BUILD = new URL('../../build/', import.meta.url).pathname;
const read = (p: string): Buffer => readFileSync(join(BUILD, p));

/** A 32×32 "what you see without colour" mask: 1 where the pixel is drawn and light, 2 drawn and dark, 0 empty. */
function greyShape(name: TrayIconName): Uint8Array {
  const img = decodePng(read(`icons/tray/${name}-32.png`));
  const out = new Uint8Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) {
    const [r, g, b, a] = img.pixels.subarray(i * 4, i * 4 + 4);
    if (a! < 128) continue;
    const light = 0.299 * r! + 0.587 * g! + 0.114 * b!;
    out[i] = light > 200 ? 1 : 2;
  }
  return out;
}

describe('icons', () => {
  it('has the app icon as PNG at every size from 16 to 1024 px', () => {
    for (const px of APP_PNG_SIZES) expect(pngSize(read(`icons/png/${px}x${px}.png`))).toEqual({ width: px, height: px });
  });

  it('has a Windows .ico with 16..256 px entries', () => {
    const ico = read('icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const n = ico.readUInt16LE(4);
    const sizes = Array.from({ length: n }, (_, i) => ico[6 + 16 * i] || 256);
    expect(sizes).toEqual([...ICO_SIZES]);
  });

  it('has a macOS .icns with PNG images for every type from 16 to 1024 px', () => {
    const r = readIcns(read('icon.icns'));
    if ('error' in r) throw new Error(r.error);
    expect(r.entries.map((e) => e.type)).toEqual(ICNS_TYPES.map((t) => t.type));
    for (const [i, e] of r.entries.entries()) expect(pngSize(e.data).width).toBe(ICNS_TYPES[i]!.pixels);
  });

  it('writes and reads back .icns, and names a missing size', () => {
    const fake = (n: number) => Buffer.concat([Buffer.from('\x89PNG'), Buffer.alloc(n)]);
    const bytes = buildIcns(new Map(ICNS_TYPES.map((t) => [t.pixels, fake(t.pixels % 7)])));
    const back = readIcns(bytes);
    expect('entries' in back && back.entries.length).toBe(ICNS_TYPES.length);
    expect(readIcns(bytes.subarray(0, bytes.length - 1))).toMatchObject({ error: expect.stringContaining('total length') });
    expect(() => buildIcns(new Map())).toThrow(/no 16px PNG for icp4/);
  });

  it('has every tray image at 16, 22 and 32 px with @2x, and macOS templates', () => {
    for (const name of TRAY_ICON_NAMES) {
      for (const s of TRAY_SIZES) {
        expect(pngSize(read(`icons/tray/${name}-${s}.png`)).width).toBe(s);
        expect(pngSize(read(`icons/tray/${name}-${s}@2x.png`)).width).toBe(s * 2);
      }
      expect(pngSize(read(`icons/tray/${name}Template.png`)).width).toBe(16);
      expect(pngSize(read(`icons/tray/${name}Template@2x.png`)).width).toBe(32);
    }
  });

  it('draws each severity as a different shape, told apart without colour (at least 8 % of pixels differ pairwise)', () => {
    const shapes = new Map(TRAY_ICON_NAMES.map((n) => [n, greyShape(n)]));
    for (const a of TRAY_ICON_NAMES) {
      for (const b of TRAY_ICON_NAMES) {
        if (a >= b) continue;
        const x = shapes.get(a)!;
        const y = shapes.get(b)!;
        let differ = 0;
        for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) differ++;
        expect(differ / x.length, `${a} vs ${b}`).toBeGreaterThan(0.08);
      }
    }
  });

  it('makes macOS template images of black and transparency only', () => {
    for (const name of TRAY_ICON_NAMES) {
      const img = decodePng(read(`icons/tray/${name}Template@2x.png`));
      for (let i = 0; i < img.width * img.height; i++) {
        const [r, g, b, a] = img.pixels.subarray(i * 4, i * 4 + 4);
        if (a! > 0) expect(Math.max(r!, g!, b!), `${name} pixel ${i}`).toBeLessThan(16);
      }
    }
  });

  it('commits the drawings icon-art.ts makes (run `npm run icons` after changing them)', () => {
    expect(read('icon.svg').toString()).toBe(appIconSvg());
    for (const name of TRAY_ICON_NAMES) {
      expect(read(`icons/tray/${name}.svg`).toString()).toBe(trayColorSvg(name));
      expect(read(`icons/tray/${name}-template.svg`).toString()).toBe(trayTemplateSvg(name));
    }
  });
});

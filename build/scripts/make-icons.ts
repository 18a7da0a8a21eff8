// Regenerates every icon from the drawings in icon-art.ts: `npm run icons` (needs rsvg-convert from
// librsvg2-bin and ImageMagick's convert: apt-get install -y librsvg2-bin imagemagick). The outputs are
// committed, so packaging needs neither tool.
//   build/icon.svg                       the app icon drawing
//   build/icons/png/<N>x<N>.png          app icon, 16..1024 (Linux; electron-builder reads the folder)
//   build/icon.ico                       Windows (16..256; BMP entries below 256 for NSIS)
//   build/icon.icns                      macOS (16..1024, PNG entries)
//   build/icons/tray/<name>.svg          tray glyph drawings; <name>-template.svg for macOS
//   build/icons/tray/<name>-<S>.png      tray, S = 16 (Windows), 22 (Linux), 32, with @2x siblings
//   build/icons/tray/<name>Template.png  macOS menu bar template images (16 pt) with @2x
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRAY_ICON_NAMES } from '../../electron/desktop/tray-state.js';
import { appIconSvg, trayColorSvg, trayTemplateSvg } from './icon-art.js';
import { buildIcns } from './icns.js';

const BUILD = join(dirname(fileURLToPath(import.meta.url)), '..');
export const APP_PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
export const TRAY_SIZES = [16, 22, 32] as const;

function run(argv: string[]): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new Error(`${argv[0]} could not run (${r.error.message}); install librsvg2-bin and imagemagick`);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr.trim()}`);
}

function rasterize(svgPath: string, px: number, out: string): void {
  run(['rsvg-convert', '--width', String(px), '--height', String(px), '--format', 'png', '--output', out, svgPath]);
}

function main(): void {
  const appSvg = join(BUILD, 'icon.svg');
  writeFileSync(appSvg, appIconSvg());
  const pngDir = join(BUILD, 'icons', 'png');
  mkdirSync(pngDir, { recursive: true });
  for (const px of APP_PNG_SIZES) rasterize(appSvg, px, join(pngDir, `${px}x${px}.png`));

  // ImageMagick writes BMP entries below 256 px and a PNG entry at 256 px.
  run(['/usr/bin/convert', ...ICO_SIZES.map((px) => join(pngDir, `${px}x${px}.png`)), join(BUILD, 'icon.ico')]);
  const pngs = new Map<number, Uint8Array>(APP_PNG_SIZES.map((px) => [px, readFileSync(join(pngDir, `${px}x${px}.png`))]));
  writeFileSync(join(BUILD, 'icon.icns'), buildIcns(pngs));

  const trayDir = join(BUILD, 'icons', 'tray');
  mkdirSync(trayDir, { recursive: true });
  for (const name of TRAY_ICON_NAMES) {
    const color = join(trayDir, `${name}.svg`);
    const template = join(trayDir, `${name}-template.svg`);
    writeFileSync(color, trayColorSvg(name));
    writeFileSync(template, trayTemplateSvg(name));
    for (const s of TRAY_SIZES) {
      rasterize(color, s, join(trayDir, `${name}-${s}.png`));
      rasterize(color, s * 2, join(trayDir, `${name}-${s}@2x.png`));
    }
    rasterize(template, 16, join(trayDir, `${name}Template.png`));
    rasterize(template, 32, join(trayDir, `${name}Template@2x.png`));
  }
  process.stdout.write(`icons written under ${BUILD}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();

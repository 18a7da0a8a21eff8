// The drawings behind every icon, as SVG text: the app icon, and one tray glyph per severity whose shape
// (not only its colour) tells the level: a disc with a check (ok), a triangle with "!" (warning), an
// octagon with "!" (critical), a square with "×" (exhausted), a ring with "?" (no reading) and a ring with
// pause bars (paused). Tray glyphs are drawn on a 32×32 grid so that 16 px halves land on whole pixels.
import type { TrayIconName } from '../../electron/desktop/tray-state.js';

/** One tray glyph: a base shape and a glyph on it. COLOR and INK are filled in per variant. */
interface TrayArt {
  color: string;
  /** Filled shapes get a white glyph (cut out of the template image); rings draw the glyph in their own colour. */
  filled: boolean;
  base: string;
  glyph: string;
}

const bang = (top: number, bottom: number, dot: number): string =>
  `<rect x="14.25" y="${top}" width="3.5" height="${bottom - top}" rx="1.75" fill="INK"/><circle cx="16" cy="${dot}" r="2.1" fill="INK"/>`;

export const TRAY_ART: Record<TrayIconName, TrayArt> = {
  ok: {
    color: '#2E9E44',
    filled: true,
    base: '<circle cx="16" cy="16" r="14.5" fill="COLOR"/>',
    glyph: '<polyline points="8.5,16.5 13.5,21.5 23.5,10.5" fill="none" stroke="INK" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>',
  },
  warning: {
    color: '#E0A000',
    filled: true,
    base: '<path d="M16 2.5 L30.5 28.5 H1.5 Z" fill="COLOR" stroke="COLOR" stroke-width="2" stroke-linejoin="round"/>',
    glyph: bang(10, 20.5, 24.6),
  },
  critical: {
    color: '#D93025',
    filled: true,
    base: '<polygon points="10,1.5 22,1.5 30.5,10 30.5,22 22,30.5 10,30.5 1.5,22 1.5,10" fill="COLOR" stroke="COLOR" stroke-width="1" stroke-linejoin="round"/>',
    glyph: bang(7, 18.5, 23.6),
  },
  exhausted: {
    color: '#8B0A0A',
    filled: true,
    base: '<rect x="2" y="2" width="28" height="28" rx="3" fill="COLOR"/>',
    glyph: '<path d="M10 10 L22 22 M22 10 L10 22" stroke="INK" stroke-width="4" stroke-linecap="round"/>',
  },
  unknown: {
    color: '#8A8F98',
    filled: false,
    base: '<circle cx="16" cy="16" r="13" fill="none" stroke="COLOR" stroke-width="3" stroke-dasharray="6 3.2"/>',
    glyph: '<path d="M12.2 12.6 A3.9 3.9 0 1 1 17.9 16 C16.6 16.8 16 17.5 16 19.2" fill="none" stroke="INK" stroke-width="3" stroke-linecap="round"/><circle cx="16" cy="23.4" r="1.9" fill="INK"/>',
  },
  paused: {
    color: '#5B6BC0',
    filled: false,
    base: '<circle cx="16" cy="16" r="13" fill="none" stroke="COLOR" stroke-width="3"/>',
    glyph: '<rect x="11" y="10" width="3.6" height="12" rx="1" fill="INK"/><rect x="17.4" y="10" width="3.6" height="12" rx="1" fill="INK"/>',
  },
};

const svg32 = (body: string): string => `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">${body}</svg>\n`;

/** The coloured tray glyph (Linux, Windows). */
export function trayColorSvg(name: TrayIconName): string {
  const a = TRAY_ART[name];
  const ink = a.filled ? '#FFFFFF' : a.color;
  return svg32((a.base + a.glyph).replaceAll('COLOR', a.color).replaceAll('INK', ink));
}

/** The macOS template glyph: black with the glyph cut out of filled shapes (macOS tints it for the menu bar). */
export function trayTemplateSvg(name: TrayIconName): string {
  const a = TRAY_ART[name];
  if (!a.filled) return svg32((a.base + a.glyph).replaceAll('COLOR', '#000000').replaceAll('INK', '#000000'));
  const mask = `<mask id="cut"><rect width="32" height="32" fill="#FFFFFF"/>${a.glyph.replaceAll('INK', '#000000')}</mask>`;
  return svg32(`<defs>${mask}</defs><g mask="url(#cut)">${a.base.replaceAll('COLOR', '#000000')}</g>`);
}

/** The app icon: a port-use gauge (green, amber, red) with its needle in the red, on a dark tile. */
export function appIconSvg(): string {
  // Arcs of a 240° gauge centred at (256, 312), radius 165, from 150° (lower left) clockwise to 30°.
  const cx = 256;
  const cy = 312;
  const r = 165;
  const pt = (deg: number): string => {
    const rad = (deg * Math.PI) / 180;
    return `${(cx + r * Math.cos(rad)).toFixed(1)} ${(cy - r * Math.sin(rad)).toFixed(1)}`;
  };
  const arc = (from: number, to: number, color: string): string =>
    `<path d="M${pt(from)} A${r} ${r} 0 ${from - to > 180 ? 1 : 0} 1 ${pt(to)}" fill="none" stroke="${color}" stroke-width="52" stroke-linecap="butt"/>`;
  const needle = (deg: number): string => {
    const rad = (deg * Math.PI) / 180;
    const len = 140;
    return `<line x1="${cx}" y1="${cy}" x2="${(cx + len * Math.cos(rad)).toFixed(1)}" y2="${(cy - len * Math.sin(rad)).toFixed(1)}" stroke="#FFFFFF" stroke-width="26" stroke-linecap="round"/>`;
  };
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">',
    '<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1D3B5A"/><stop offset="1" stop-color="#0E1F30"/></linearGradient></defs>',
    '<rect x="16" y="16" width="480" height="480" rx="108" fill="url(#bg)"/>',
    arc(210, 110, '#2E9E44'),
    arc(108, 58, '#E0A000'),
    arc(56, -30, '#D93025'),
    needle(38),
    `<circle cx="${cx}" cy="${cy}" r="34" fill="#FFFFFF"/>`,
    `<circle cx="${cx}" cy="${cy}" r="14" fill="#0E1F30"/>`,
    '</svg>',
    '',
  ].join('\n');
}

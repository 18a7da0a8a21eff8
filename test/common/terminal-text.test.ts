import { describe, expect, it } from 'vitest';
import { cleanTerminalField, cleanTerminalFields, cleanTerminalText, hasTerminalControl, terminalSafeJson } from '../../electron/common/terminal-text.js';

describe('terminal text', () => {
  it('makes every C0, DEL, C1 and bidi control visible and inert in a field, line feeds included', () => {
    for (let c = 0; c < 0x20; c++) expect(hasTerminalControl(cleanTerminalField(`a${String.fromCharCode(c)}b`))).toBe(false);
    for (let c = 0x7f; c <= 0x9f; c++) expect(cleanTerminalField(String.fromCharCode(c))).toBe(`\\x${c.toString(16)}`);
    for (const ch of ['\u202a', '\u202e', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c', '\u2028', '\u2029']) expect(hasTerminalControl(cleanTerminalField(ch))).toBe(false);
    expect(cleanTerminalField('\x1b]0;t\x07\x1b[2J\nx')).toBe('\\x1b]0;t\\x07\\x1b[2J\\x0ax');
  });

  it('keeps our own line feeds in a whole document, and nothing else', () => {
    expect(cleanTerminalText('a\nb\r\n\x1b[31m')).toBe('a\nb\\x0d\n\\x1b[31m');
    expect(hasTerminalControl('a\nb', true)).toBe(false);
    expect(hasTerminalControl('a\nb')).toBe(true);
  });

  it('leaves printable text of any script alone', () => {
    const t = 'nginx · Größe 🙂 日本語 العربية [::1]:443';
    expect(cleanTerminalField(t)).toBe(t);
  });

  it('escapes DEL, C1 and bidi in JSON so it parses back to the same value', () => {
    const v = { host: 'a\x7f\x9b2J\u202e\x1b', n: [1, 'x\u2066'] };
    const j = terminalSafeJson(v);
    expect(hasTerminalControl(j)).toBe(false);
    expect(JSON.parse(j)).toEqual(v);
  });

  it('cleans every string of a nested value, keys too, and keeps numbers and nulls', () => {
    expect(cleanTerminalFields({ a: ['\x1b', 1, null], ['k\n']: { b: true } })).toEqual({ a: ['\\x1b', 1, null], 'k\\x0a': { b: true } });
  });
});

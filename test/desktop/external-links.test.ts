import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_LINK_ORIGINS, isAllowedExternalUrl } from '../../electron/desktop/external-links.js';

describe('external links', () => {
  it('opens allow-listed https pages', () => {
    expect(isAllowedExternalUrl('https://docs.kernel.org/networking/ip-sysctl.html')).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/x/y#readme')).toBe(true);
  });

  it.each([
    ['http (not https)', 'http://docs.kernel.org/'],
    ['another host', 'https://evil.example/'],
    ['a look-alike host', 'https://github.com.evil.example/'],
    ['credentials', 'https://user@github.com/'],
    ['an explicit port', 'https://github.com:8443/'],
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['the app itself', 'app://portwatch/index.html'],
    ['not a URL', 'github.com'],
  ])('refuses %s', (_name, url) => expect(isAllowedExternalUrl(url)).toBe(false));

  it('refuses everything off the list (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.string(), fc.anything()), (u) => {
        const ok = isAllowedExternalUrl(u);
        if (ok) expect(EXTERNAL_LINK_ORIGINS).toContain(new URL(u as string).origin);
      }),
      { numRuns: 1000 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressInterner, formatIPv4, formatIPv6 } from '../../../../electron/node/platform/parse/inet-address.js';
import { SocketTableBuilder } from '../../../../electron/node/platform/socket-table.js';

/** Four network-order words from eight 16-bit groups. */
const words = (g: number[]): [number, number, number, number] => [0, 2, 4, 6].map((i) => ((g[i]! << 16) | g[i + 1]!) >>> 0) as [number, number, number, number];

describe('formatIPv4', () => {
  it('writes the four bytes in network order', () => {
    expect(formatIPv4(0x7f000001)).toBe('127.0.0.1');
    expect(formatIPv4(0xffffffff)).toBe('255.255.255.255');
    expect(formatIPv4(0)).toBe('0.0.0.0');
  });
});

describe('formatIPv6', () => {
  it.each([
    [[0, 0, 0, 0, 0, 0, 0, 0], '::'],
    [[0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    [[0, 0, 0, 0, 0, 0xffff, 0x7f00, 1], '::ffff:127.0.0.1'],
    [[0, 0, 0, 0, 0, 0, 0x0102, 0x0304], '::1.2.3.4'],
    [[0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], '2001:db8::1'],
    [[0x2001, 0xdb8, 0, 1, 1, 1, 1, 1], '2001:db8:0:1:1:1:1:1'],
    [[1, 0, 0, 2, 0, 0, 0, 3], '1:0:0:2::3'],
    [[1, 0, 0, 2, 0, 0, 3, 4], '1::2:0:0:3:4'],
    [[0xfe80, 0, 0, 0, 0xabcd, 0xef, 0x1234, 0xffff], 'fe80::abcd:ef:1234:ffff'],
    [[1, 2, 3, 4, 5, 6, 7, 0], '1:2:3:4:5:6:7:0'],
    [[1, 2, 3, 4, 5, 6, 0, 0], '1:2:3:4:5:6::'],
  ])('writes %j as %s (glibc inet_ntop, as ss prints it)', (groups, text) => {
    expect(formatIPv6(...words(groups))).toBe(text);
  });

  it('matches the WHATWG URL serialiser (RFC 5952) for every address without an embedded IPv4 form', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }), (g) => {
        // glibc writes a dotted IPv4 tail only when the first five groups are zero; WHATWG never does
        fc.pre(!g.slice(0, 5).every((x) => x === 0));
        const ours = formatIPv6(...words(g));
        const url = new URL(`http://[${g.map((x) => x.toString(16)).join(':')}]/`).hostname.slice(1, -1);
        expect(ours).toBe(url);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('AddressInterner', () => {
  it('gives the same index to the same bits and a new one to new bits, across table growth', () => {
    const builder = new SocketTableBuilder();
    const interner = new AddressInterner(builder);
    const first = new Map<string, number>();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2_000; i++) {
        const w: [number, number, number, number] = [0x20010db8, i * 7919, 0, i];
        const index = interner.ipv6(...w);
        const text = formatIPv6(...w);
        if (round === 0) first.set(text, index);
        else expect(index).toBe(first.get(text));
        expect(builder.build().addrs[index]).toBe(text);
      }
    }
    expect(first.size).toBe(2_000);
    expect(interner.ipv4(0x7f000001)).toBe(interner.ipv4(0x7f000001));
    expect(interner.ipv4(0x7f000001)).not.toBe(interner.ipv4(0x7f000002));
  });

  it('shares one entry between an address seen as IPv6 text and the same text from elsewhere', () => {
    const builder = new SocketTableBuilder();
    const interner = new AddressInterner(builder);
    const a = interner.ipv6(0, 0, 0, 1);
    expect(builder.intern('::1')).toBe(a);
  });
});

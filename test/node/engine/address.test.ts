import { describe, expect, it } from 'vitest';
import { formatDestination, formatEndpoint, isLoopbackAddress } from '../../../electron/node/engine/address.js';

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.255.3.4', '::1', '0:0:0:0:0:0:0:1', '0000:0000:0000:0000:0000:0000:0000:0001', '::ffff:127.0.0.1', '::FFFF:127.1.2.3', '::ffff:7f00:1', '::1%lo'])(
    'treats %s as loopback',
    (a) => expect(isLoopbackAddress(a)).toBe(true),
  );
  it.each(['10.0.0.2', '128.0.0.1', '1.127.0.0', '::2', '::ffff:10.0.0.1', '2001:db8::1', 'fe80::1', '::', '0.0.0.0', '', 'garbage', '127.0.0', '127.0.0.256', '::1::', '1:2:3:4:5:6:7:8:9'])(
    'does not treat %j as loopback',
    (a) => expect(isLoopbackAddress(a)).toBe(false),
  );
});

describe('formatting endpoints', () => {
  it('brackets IPv6 addresses before the port', () => {
    expect(formatEndpoint('10.0.0.2', 80)).toBe('10.0.0.2:80');
    expect(formatEndpoint('::1', 8080)).toBe('[::1]:8080');
    expect(formatDestination('127.0.0.1', '127.0.0.1', 8080)).toBe('127.0.0.1 → 127.0.0.1:8080');
  });
});

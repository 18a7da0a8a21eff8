import { describe, expect, it } from 'vitest';
import { DROP_IN_HEADER, renderDropIn } from '../../electron/helper/drop-in.js';
import type { HelperSetting } from '../../electron/common/tuning.js';

const range: HelperSetting = { key: 'net.ipv4.ip_local_port_range', low: 32768, high: 65535 };
const reserved: HelperSetting = { key: 'net.ipv4.ip_local_reserved_ports', ranges: [{ low: 8080, high: 8080 }] };

describe('the drop-in text', () => {
  it('starts with the header and lists the settings in allow-list order', () => {
    expect(renderDropIn(null, [range, reserved])).toBe(
      `${DROP_IN_HEADER}net.ipv4.ip_local_reserved_ports = 8080\nnet.ipv4.ip_local_port_range = 32768 65535\n`,
    );
  });

  it('gives the same bytes for the same settings (nothing to write the second time)', () => {
    const once = renderDropIn(null, [range, reserved]);
    expect(renderDropIn(once, [range, reserved])).toBe(once);
    expect(renderDropIn(once, [reserved])).toBe(once);
  });

  it('replaces the first line of a key, drops later duplicates, keeps every other line', () => {
    const mine = '# mine\nnet/ipv4/ip_local_port_range = 1 2\nvm.swappiness=10\n-net.ipv4.ip_local_port_range = 3 4\n';
    expect(renderDropIn(mine, [range])).toBe('# mine\nnet.ipv4.ip_local_port_range = 32768 65535\nvm.swappiness=10\n');
  });

  it('appends a key the file did not set', () => {
    expect(renderDropIn('vm.swappiness = 1', [range])).toBe('vm.swappiness = 1\nnet.ipv4.ip_local_port_range = 32768 65535\n');
  });
});

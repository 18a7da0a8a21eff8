import { describe, expect, it } from 'vitest';
import { parseListeningPorts } from '../../electron/helper/listening-ports.js';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 20 4 30 10 -1
   2: 00000000:4E20 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 100 0 0 10 0
`;
const TCP6 = `  sl  local_address                         remote_address                        st
   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000
`;

describe('listening ports from /proc/net/tcp', () => {
  it('returns the local ports of LISTEN rows only, once each, sorted', () => {
    expect(parseListeningPorts(TCP)).toEqual([8080, 20000]);
    expect(parseListeningPorts(TCP6)).toEqual([8080]);
  });
  it('skips rows it cannot read', () => {
    expect(parseListeningPorts('header\ngarbage\n 0: zz:zz 0A\n')).toEqual([]);
  });
});

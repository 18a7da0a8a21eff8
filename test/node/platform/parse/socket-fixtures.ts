// The captured Linux socket fixtures (test/fixtures/linux/sockets/) and what they must parse to.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tcpStateName } from '../../../../electron/common/tcp-state.js';
import { socketRow } from '../../../../electron/node/platform/socket-table.js';
import type { SocketTable } from '../../../../electron/node/platform/types.js';
import { BOUND_ROWS, SCENARIO_ROWS, rowKey, type ScenarioRow } from '../linux/socket-scenario.js';

const DIR = fileURLToPath(new URL('../../../fixtures/linux/sockets/', import.meta.url));

/** The bytes of one fixture file. */
export function fixture(name: string): Buffer {
  return readFileSync(`${DIR}${name}`);
}

/** Pids recorded at capture time. */
export const FIXTURE_PIDS = JSON.parse(fixture('pids.json').toString('utf8')) as { scenario: number; boundOnly: number };

/** The rows of a table keyed like rowKey ("STATE local:port remote:port"), sorted. */
export function tableKeys(t: SocketTable): string[] {
  return Array.from({ length: t.count }, (_, i) => {
    const r = socketRow(t, i);
    return rowKey({ state: tcpStateName(r.state)!, local: r.localAddr, localPort: r.localPort, remote: r.remoteAddr, remotePort: r.remotePort });
  }).sort();
}

/** Expected keys, sorted. */
export function expectedKeys(rows: readonly ScenarioRow[]): string[] {
  return rows.map(rowKey).sort();
}

export { BOUND_ROWS, SCENARIO_ROWS };

// What each export writes: the columns of the connection list, the destinations, the processes and the
// episodes, as the dashboard shows them (raw numbers and ISO times, so a spreadsheet can compute with them).
import type { Connection } from '../../../electron/common/connections.js';
import type { Episode } from '../../../electron/common/episode.js';
import type { DestinationUsage, ProcessUsage } from '../../../electron/common/model.js';
import type { ExportColumn } from '../../../electron/common/table-export.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export const CONNECTION_COLUMNS: ExportColumn<Connection>[] = [
  { header: 'protocol', value: (c) => c.protocol },
  { header: 'localAddress', value: (c) => c.localAddress },
  { header: 'localPort', value: (c) => c.localPort },
  { header: 'remoteAddress', value: (c) => c.remoteAddress },
  { header: 'remotePort', value: (c) => c.remotePort },
  { header: 'state', value: (c) => c.state },
  { header: 'pid', value: (c) => c.pid },
  { header: 'process', value: (c) => c.process },
  { header: 'namespace', value: (c) => c.namespace },
  { header: 'timeWaitLeftMs', value: (c) => c.timeWaitLeftMs },
  { header: 'ageMs', value: (c) => c.ageMs },
];

export const DESTINATION_COLUMNS: ExportColumn<DestinationUsage>[] = [
  { header: 'remoteAddress', value: (d) => d.remoteAddress },
  { header: 'remotePort', value: (d) => d.remotePort },
  { header: 'localAddress', value: (d) => d.localAddress },
  { header: 'namespace', value: (d) => d.netns },
  { header: 'utilization', value: (d) => d.utilization },
  { header: 'blocking', value: (d) => d.blocking },
  { header: 'capacity', value: (d) => d.capacity },
  { header: 'sockets', value: (d) => d.inUse },
  { header: 'states', value: (d) => Object.entries(d.states).map(([s, n]) => `${s}=${n}`).join(' ') },
  { header: 'processes', value: (d) => d.processes.map((p) => `${p.name}(${p.pid})=${p.sockets}`).join(' ') },
  { header: 'newPerSec', value: (d) => d.newPerSec },
  { header: 'timeToExhaustionSec', value: (d) => d.timeToExhaustionSec },
  { header: 'severity', value: (d) => d.severity ?? null },
];

export const PROCESS_COLUMNS: ExportColumn<ProcessUsage>[] = [
  { header: 'process', value: (p) => p.name },
  { header: 'pid', value: (p) => p.pid },
  { header: 'sockets', value: (p) => p.sockets },
  { header: 'timeWait', value: (p) => p.timeWait },
  { header: 'topDestinations', value: (p) => p.topDestinations.join(' ') },
];

export const EPISODE_COLUMNS: ExportColumn<Episode>[] = [
  { header: 'start', value: (e) => iso(e.start) },
  { header: 'end', value: (e) => iso(e.end) },
  { header: 'peakSeverity', value: (e) => e.peakSeverity },
  { header: 'peakTime', value: (e) => iso(e.peakTime) },
  { header: 'peakUtilization', value: (e) => e.peakUtilization },
  { header: 'worstDestination', value: (e) => e.worstDestination },
  { header: 'namespace', value: (e) => e.netns?.label ?? null },
  { header: 'cause', value: (e) => e.cause },
];

// The IPC channel names between the preload and the main process: one per contract method and one for
// events, all under one prefix that the main process's chokepoint checks. The compiler keeps the list in
// step with the contract (a method added to or removed from Methods fails `satisfies`).
import type { MethodName } from './contract.js';

/** Every Portwatch channel starts with this. */
export const IPC_PREFIX = 'portwatch:';

/** The channel of each contract method (invoke/handle). */
export const REQUEST_CHANNELS = {
  getInfo: 'portwatch:getInfo',
  getSnapshot: 'portwatch:getSnapshot',
  getHistory: 'portwatch:getHistory',
  getEvents: 'portwatch:getEvents',
  getEpisodes: 'portwatch:getEpisodes',
  getConnections: 'portwatch:getConnections',
  getNamespaces: 'portwatch:getNamespaces',
  getHosts: 'portwatch:getHosts',
  getTuningPlan: 'portwatch:getTuningPlan',
  reviewTuning: 'portwatch:reviewTuning',
  getTuningStatus: 'portwatch:getTuningStatus',
  applyTuning: 'portwatch:applyTuning',
  writeTuningTerminal: 'portwatch:writeTuningTerminal',
  resizeTuningTerminal: 'portwatch:resizeTuningTerminal',
  keepTuning: 'portwatch:keepTuning',
  revertTuning: 'portwatch:revertTuning',
  startHostLogin: 'portwatch:startHostLogin',
  writeHostLogin: 'portwatch:writeHostLogin',
  resizeHostLogin: 'portwatch:resizeHostLogin',
  cancelHostLogin: 'portwatch:cancelHostLogin',
} as const satisfies Record<MethodName, `${typeof IPC_PREFIX}${MethodName}`>;

/** The one channel the main process pushes monitor events on. */
export const EVENT_CHANNEL = 'portwatch:event';

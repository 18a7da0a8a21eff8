// macOS: a SIGKILL at every step of every transaction path (darwin-win32-kill-steps.ts), with a plan that
// writes all three keys (first, last, msl) so that every live step is reached, with and without an earlier
// LaunchDaemon.
import { DARWIN_LAUNCHD_PLIST_PATH, type HelperPlanDocument } from '../../electron/common/tuning.js';
import { renderLaunchdPlist } from '../../electron/helper/darwin-launchd.js';
import { capturedMacValues, type MacValues } from './darwin-fake-system.js';
import { describeKillRecovery } from './darwin-win32-kill-steps.js';

const PLAN: HelperPlanDocument = {
  kind: 'portwatch-helper-plan',
  schema: 1,
  settings: [
    { key: 'net.inet.ip.portrange.first', value: 32768 },
    { key: 'net.inet.ip.portrange.last', value: 65535 },
    { key: 'net.inet.tcp.msl', value: 10000 },
  ],
  confirmTimeoutSec: 60,
};
const BEFORE: MacValues = { ...capturedMacValues(), 'net.inet.ip.portrange.last': 60999 };

describeKillRecovery<MacValues>({
  platform: 'darwin',
  plan: PLAN,
  variants: [
    { label: 'no earlier LaunchDaemon', values: BEFORE, persisted: null },
    { label: 'an earlier LaunchDaemon', values: BEFORE, persisted: renderLaunchdPlist(null, [{ key: 'net.inet.tcp.msl', value: 15000 }]) },
  ],
  after: (v) => ({ ...v, 'net.inet.ip.portrange.first': 32768, 'net.inet.ip.portrange.last': 65535, 'net.inet.tcp.msl': 10000 }),
  persistedAfter: (before) => renderLaunchdPlist(before, PLAN.settings),
  persistencePath: DARWIN_LAUNCHD_PLIST_PATH,
});

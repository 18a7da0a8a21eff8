// The tuning host's inputs on this machine: the planner's input gathered now (kernel settings, listening
// and bound ports, the sysctl configuration, the environment) with the monitor's latest sample (which has
// rates and owners), and the helper runner with the detected elevation. Test roots for the helper come
// from PORTWATCH_HELPER_* variables, as for `portwatch tune` (the helper honours them only when run
// directly, never through pkexec or sudo).
import type { Sample } from '../../common/model.js';
import { gatherPlanInput } from '../tuning/machine-input.js';
import type { PlanInput } from '../tuning/plan-input.js';
import { TuningClient } from '../tuning/tuning-client.js';
import type { TuningHostOptions } from './tuning-host.js';

/** How to plan and apply on this machine. */
export interface MachineTuningOptions {
  allowApply: boolean;
  disabledReason?: string;
  /** Plan for this network namespace even when it looks like a container. */
  assumeHost?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Tuning host options for this machine; `latest` gives the monitor's latest sample. */
export function machineTuning(o: MachineTuningOptions, latest: () => Sample | null): TuningHostOptions {
  const env = o.env ?? process.env;
  const helperEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('PORTWATCH_HELPER_') && e[1] !== undefined));
  return {
    allowApply: o.allowApply,
    ...(o.disabledReason !== undefined ? { disabledReason: o.disabledReason } : {}),
    planInput: async (): Promise<PlanInput> => {
      const { input } = await gatherPlanInput({ intervalSec: 0, assumeHost: o.assumeHost === true, configRoot: env.PORTWATCH_HELPER_CONFIG_ROOT ?? '/', options: {} });
      const s = latest();
      // One fresh reading for the settings and the held ports; the monitor's sample for rates and diagnoses.
      return s ? { ...input, sample: s } : input;
    },
    runner: () => TuningClient.create({ helperEnv, transport: 'pty', terminal: { cols: 100, rows: 24 } }),
  };
}

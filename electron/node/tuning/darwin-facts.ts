// What the macOS planner needs beyond KernelSettings: portrange.first and .last as the kernel holds them
// (KernelSettings orders them, but first > last is a misconfiguration the plan must see), hifirst/hilast,
// the MSL, and the files that may set these keys at boot. Read from the raw sources of a read, so a plan
// can be made from a capture bundle as well as live.
import type { RawSnapshot } from '../platform/types.js';
import { DARWIN_SOURCES } from '../platform/darwin/commands.js';
import { DARWIN_SYSCTL, parseSysctlValues } from '../platform/parse/darwin-sysctl.js';

/** macOS facts for the planner (null where not read). */
export interface DarwinTuningFacts {
  first: number | null;
  last: number | null;
  hifirst: number | null;
  hilast: number | null;
  mslMs: number | null;
  /** LaunchDaemons and /etc/sysctl.conf (null: not read, e.g. a plan made from a capture bundle). */
  bootFiles: { path: string; text: string }[] | null;
}

/** The facts in one macOS read (bootFiles are read separately, on the Mac itself). */
export function darwinFactsFromRaw(raw: RawSnapshot, bootFiles: DarwinTuningFacts['bootFiles'] = null): DarwinTuningFacts {
  const src = raw.sources.find((s) => s.name === DARWIN_SOURCES.sysctl && s.data);
  const values = src?.data ? parseSysctlValues(src.data.toString('utf8'), src.name).value : null;
  const get = (k: string): number | null => values?.get(k) ?? null;
  return {
    first: get(DARWIN_SYSCTL.first),
    last: get(DARWIN_SYSCTL.last),
    hifirst: get(DARWIN_SYSCTL.hifirst),
    hilast: get(DARWIN_SYSCTL.hilast),
    mslMs: get(DARWIN_SYSCTL.msl),
    bootFiles,
  };
}

// Reads the tunable keys as they are now, without privileges (every /proc/sys file here is world
// readable; macOS sysctl -n, Windows netsh show and reg query need no elevation either), to verify an
// applied plan independently of what the helper reported.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlatformName } from '../../common/model.js';
import { TUNABLE_KEYS, canonicalKernelText, kernelText, type HelperSetting, type TunableKey } from '../../common/tuning.js';
import type { HelperRunner } from '../../helper/command-runner.js';
import { defaultHelperPaths } from '../../helper/helper-config.js';
import { createPlatformStore } from '../../helper/platform-store.js';

/** The live text of every tunable key (null when this kernel lacks it or it cannot be read). */
export async function readLiveValues(proc = '/proc'): Promise<Record<TunableKey, string | null>> {
  const out = {} as Record<TunableKey, string | null>;
  for (const k of TUNABLE_KEYS) {
    out[k] = await readFile(join(proc, 'sys', ...k.split('.')), 'utf8').then((t) => t.replace(/\n$/, ''), () => null);
  }
  return out;
}

/** The live text of every tunable key on `platform` (other platforms' keys are null). */
export async function readLiveValuesFor(
  platform: PlatformName,
  opts: { proc?: string; runner?: HelperRunner; env?: NodeJS.ProcessEnv } = {},
): Promise<Record<TunableKey, string | null>> {
  if (platform === 'linux') return readLiveValues(opts.proc ?? '/proc');
  const env = opts.env ?? process.env;
  const store = createPlatformStore(platform, defaultHelperPaths(platform, env), env, ...(opts.runner ? [opts.runner] : []));
  const out = {} as Record<TunableKey, string | null>;
  for (const k of TUNABLE_KEYS) out[k] = store && store.keys.includes(k) ? await store.read(k).catch(() => null) : null;
  return out;
}

/** One key's verification. */
export interface VerifiedSetting {
  key: TunableKey;
  wanted: string;
  now: string | null;
  ok: boolean;
}

/** Compares live values with the settings of a plan. */
export function verifySettings(settings: readonly HelperSetting[], live: Record<TunableKey, string | null>): { ok: boolean; settings: VerifiedSetting[] } {
  const checked = settings.map((s) => {
    const wanted = kernelText(s);
    const now = live[s.key];
    return { key: s.key, wanted, now, ok: canonicalKernelText(s.key, now) === wanted };
  });
  return { ok: checked.every((c) => c.ok), settings: checked };
}

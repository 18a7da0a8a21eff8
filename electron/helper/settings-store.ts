// Where a platform's values live, seen by the transaction (transaction.ts): how to read and write one
// key, the guard rails that need the live system, the file that makes the values survive a reboot, and
// the files that would override it at boot. The transaction itself (journal, read-back, rollback,
// countdown, recovery) is the same on every platform; only this part differs. Linux writes /proc/sys
// files (linux-store.ts), macOS runs sysctl (darwin-store.ts), Windows runs netsh and reg (win32-store.ts).
import type { PlatformName } from '../common/model.js';
import type { BootOverride, HelperPlanDocument, HelperSetting, TunableKey } from '../common/tuning.js';

/** The values of one side of a transaction, as the store shows them (null: absent on this system). */
export type LiveValues = ReadonlyMap<TunableKey, string | null>;

/** The file that applies the values again at boot. */
export interface PersistenceFile {
  /** Its path on the real system (shown to the user and journaled). */
  readonly path: string;
  /** Where it is for this run (the real path, or the same path under a test root). */
  readonly file: string;
  /** File mode it is written with. */
  readonly mode: number;
  /** Its next text from its current text (null: absent) and the settings to persist. Pure. */
  render(current: string | null, settings: readonly HelperSetting[]): string;
}

/** A write the system refused or could not make: the message names what the system said. */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
}

/** One platform's settings. */
export interface SettingsStore {
  readonly platform: PlatformName;
  /** The keys this store writes, in write order (a revert goes in reverse). */
  readonly keys: readonly TunableKey[];
  /** A key's value as the system shows it (kernelText form); null when this system has no such key. Rejects when it cannot be read. */
  read(key: TunableKey): Promise<string | null>;
  /** Writes one key's value (kernelText form); rejects with StoreWriteError naming what the system said. */
  write(key: TunableKey, text: string): Promise<void>;
  /** The guard rails that need the live system; a sentence naming the culprit, or null when the plan may go ahead. */
  checkAgainstLive(doc: HelperPlanDocument, live: LiveValues): Promise<string | null>;
  /** The file that makes the values survive a reboot; null when the system keeps them by itself. */
  readonly persistence: PersistenceFile | null;
  /** Files that set one of `keys` at boot besides (and so maybe instead of) ours; `after` holds our values. */
  detectOverrides(keys: readonly TunableKey[], after: Partial<Record<TunableKey, string | null>>): Promise<BootOverride[]>;
}

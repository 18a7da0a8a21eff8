// One helper at a time changes settings: a lock file in the state directory naming its holder. A lock
// whose holder has died (a SIGKILL) is stale and taken over. The helper that waits on a countdown does
// not hold the lock while it waits, so `confirm` and `revert` from another invocation can run.
import { constants } from 'node:fs';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive, selfIdentity, type ProcessIdentity } from './process-identity.js';

/** Another helper holds the lock. */
export class LockBusyError extends Error {
  override readonly name = 'LockBusyError';
}

/** Runs fn holding STATE/lock; waits up to waitMs for another live holder. */
export async function withLock<T>(stateDir: string, fn: () => Promise<T>, waitMs = 10_000): Promise<T> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, 'lock');
  const me = JSON.stringify(selfIdentity());
  const deadline = Date.now() + waitMs;
  // The lock appears with its content in one step (link of a finished file), so no reader sees it empty.
  const mine = join(stateDir, `lock.${process.pid}`);
  const fh = await open(mine, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
  try {
    await fh.writeFile(me);
  } finally {
    await fh.close();
  }
  try {
    await acquire(path, mine, deadline);
  } finally {
    await unlink(mine).catch(() => undefined);
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

async function acquire(path: string, mine: string, deadline: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await link(mine, path);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const text = await readFile(path, 'utf8').catch(() => null);
    const holder = parseHolder(text);
    if (text !== null && (holder === null || !isAlive(holder))) {
      // Stale: re-read right before removing, so a lock taken meanwhile by someone else is left alone.
      const again = await readFile(path, 'utf8').catch(() => null);
      if (again === text) await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline || attempt > 10_000) {
      throw new LockBusyError(`another portwatch-helper (pid ${holder?.pid ?? '?'}) is changing settings; try again`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function parseHolder(text: string | null): ProcessIdentity | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as ProcessIdentity;
    return Number.isInteger(v.pid) && typeof v.startTime === 'string' ? v : null;
  } catch {
    return null;
  }
}

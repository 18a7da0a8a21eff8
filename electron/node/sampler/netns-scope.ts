// Which namespaces a command covers: `--netns host` (every namespace of the host), `--netns self`
// (only the one Portwatch runs in), or by default every namespace when Portwatch is root in the host's
// own namespace with an addon that can enter the others, else its own.
import { stat } from 'node:fs/promises';
import { hostReadSupport } from '../platform/linux/host-read.js';
import { hostNamespaceInode } from '../platform/linux/netns-enumerate.js';

/** The scope asked for, or the error naming the culprit. */
export async function resolveNetnsScope(flag: string | undefined): Promise<{ scope: 'host' | 'self' } | { error: string }> {
  if (flag !== undefined && flag !== 'host' && flag !== 'self') return { error: `--netns must be "host" or "self", got ${JSON.stringify(flag)}` };
  if (flag === 'self') return { scope: 'self' };
  const support = hostReadSupport();
  if (flag === 'host') return support.ok ? { scope: 'host' } : { error: `--netns host: ${support.reason}` };
  if (!support.ok) return { scope: 'self' };
  return (await inHostNamespace()) ? { scope: 'host' } : { scope: 'self' };
}

/** True when this process shares the host's network namespace (not in a container or netns). */
export async function inHostNamespace(): Promise<boolean> {
  try {
    const [self, host] = await Promise.all([stat('/proc/self/ns/net'), hostNamespaceInode()]);
    return self.ino === host;
  } catch {
    return false;
  }
}

// Where the privileged helper program is, and how node runs it: the installed copy (what the polkit
// policy names), the built JavaScript next to this module, or the TypeScript source (development and
// tests, through tsx). Absolute paths only.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where packages install the helper; build/linux/io.portwatch.helper.policy names this path. */
export const INSTALLED_HELPER = '/usr/lib/portwatch/portwatch-helper';

/** The helper program found. */
export interface HelperProgram {
  kind: 'installed' | 'built' | 'source';
  /** The helper file. */
  path: string;
  /** argv that runs it with node (absolute node path first), without elevation. */
  nodeArgv: string[];
}

/** Finds the helper (installed first, then next to this module). */
export function locateHelper(opts: { installed?: string; exists?: (p: string) => boolean; nodePath?: string } = {}): HelperProgram {
  const exists = opts.exists ?? existsSync;
  const node = opts.nodePath ?? process.execPath;
  const installed = opts.installed ?? INSTALLED_HELPER;
  if (exists(installed)) return { kind: 'installed', path: installed, nodeArgv: [node, installed] };
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) {
    const built = fileURLToPath(new URL('../../helper/portwatch-helper.js', import.meta.url));
    return { kind: 'built', path: built, nodeArgv: [node, built] };
  }
  const source = fileURLToPath(new URL('../../helper/portwatch-helper.ts', import.meta.url));
  // The tsx loader by absolute URL, so it resolves whatever the working directory.
  return { kind: 'source', path: source, nodeArgv: [node, '--import', import.meta.resolve('tsx'), source] };
}

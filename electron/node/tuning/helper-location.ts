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

/** Where a system Node is looked for when this runs inside Electron. */
const SYSTEM_NODES = ['/usr/bin/node', '/usr/local/bin/node'];

/**
 * The Node that runs the helper. Inside a packaged Electron app process.execPath is Electron, whose RunAsNode
 * fuse is off, so it cannot run a script: the system's Node does (the deb depends on nodejs).
 */
export function helperNode(o: { electron?: boolean; exists?: (p: string) => boolean } = {}): string {
  const electron = o.electron ?? process.versions.electron !== undefined;
  if (!electron) return process.execPath;
  const exists = o.exists ?? existsSync;
  return SYSTEM_NODES.find((p) => exists(p)) ?? 'node';
}

/** Finds the helper (installed first, then the packaged app's resources/helper, then next to this module). */
export function locateHelper(opts: { installed?: string; exists?: (p: string) => boolean; nodePath?: string; resourcesPath?: string; electron?: boolean } = {}): HelperProgram {
  const exists = opts.exists ?? existsSync;
  const node = opts.nodePath ?? helperNode({ exists, ...(opts.electron !== undefined ? { electron: opts.electron } : {}) });
  const installed = opts.installed ?? INSTALLED_HELPER;
  if (exists(installed)) return { kind: 'installed', path: installed, nodeArgv: [node, installed] };
  // A packaged app (AppImage, or a deb whose postinst did not run) carries the bundled helper outside its
  // asar archive, where the system's Node can read it.
  const resources = opts.resourcesPath ?? (process as { resourcesPath?: string }).resourcesPath;
  if (resources !== undefined) {
    const packaged = `${resources}/helper/portwatch-helper`;
    if (exists(packaged)) return { kind: 'built', path: packaged, nodeArgv: [node, packaged] };
  }
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) {
    const built = fileURLToPath(new URL('../../helper/portwatch-helper.js', import.meta.url));
    return { kind: 'built', path: built, nodeArgv: [node, built] };
  }
  const source = fileURLToPath(new URL('../../helper/portwatch-helper.ts', import.meta.url));
  // The tsx loader by absolute URL, so it resolves whatever the working directory.
  return { kind: 'source', path: source, nodeArgv: [node, '--import', import.meta.resolve('tsx'), source] };
}

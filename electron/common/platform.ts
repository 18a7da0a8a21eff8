import type { PlatformName } from './model.js';

/** True for the platforms Portwatch knows (process.platform values). */
export function isPlatformName(p: unknown): p is PlatformName {
  return p === 'linux' || p === 'darwin' || p === 'win32';
}

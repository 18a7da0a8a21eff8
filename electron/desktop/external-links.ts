// Which links the desktop window may open in the user's browser: https only, on a short list of origins
// whose pages the app links to (documentation of the kernel settings and tools it explains, and the
// project itself). Everything else stays closed.

/** Origins the app's pages link to. */
export const EXTERNAL_LINK_ORIGINS: readonly string[] = [
  'https://github.com',
  'https://docs.kernel.org',
  'https://www.kernel.org',
  'https://man7.org',
  'https://learn.microsoft.com',
  'https://developer.apple.com',
];

/** Whether url may be handed to the OS browser (shell.openExternal). */
export function isAllowedExternalUrl(url: unknown, allowed: readonly string[] = EXTERNAL_LINK_ORIGINS): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return false;
  return allowed.includes(u.origin);
}

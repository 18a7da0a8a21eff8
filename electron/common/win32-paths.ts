// Where Windows keeps its system programs, read from the environment. Shared by the Windows backend and
// the privileged helper (which may not import the engine). Pure.

/** %SystemRoot% when it is a plain absolute path, else the usual C:\Windows. */
export function systemRootOf(env: Readonly<Record<string, string | undefined>>): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT;
  return root && /^[A-Za-z]:\\[^"<>|?*]*$/.test(root) ? root : 'C:\\Windows';
}

// The guards of Portwatch's error classes check the stable `name`, not the prototype, so they also hold for
// an error that crossed a process or a JSON boundary (as isContractError does).

/** True when `e` is an object carrying this error name (also one rebuilt from JSON). */
export function hasErrorName(e: unknown, name: string): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === name;
}

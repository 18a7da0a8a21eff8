// Small runtime schemas for JSON-shaped data (no dependency). A schema checks a value and returns the first
// problem as a message that names the culprit path, e.g. `params.windowSec: expected an integer in
// [60, 604800], got 5`. Types are written by hand and the schemas are typed against them, so the compiler
// keeps the two in step. Validation follows the schema's shape, never the input's, so hostile input
// (deep nesting, huge arrays) costs at most what the schema allows.

/** A runtime check for values of type T. */
export interface Schema<T> {
  /** Returns null when the value is a T, else a message naming the culprit path. */
  check(value: unknown, path: string): string | null;
  /** Phantom field carrying T for the type checker; never set. */
  readonly type?: T;
}

/** The result of validating untrusted data. */
export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates `value` against `schema`; `what` names the root in the error (e.g. "request"). */
export function validate<T>(schema: Schema<T>, value: unknown, what: string): Validated<T> {
  const error = schema.check(value, what);
  return error === null ? { ok: true, value: value as T } : { ok: false, error };
}

/** A short, safe rendering of an offending value for error messages (never echoes long input). */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  switch (typeof v) {
    case 'string':
      return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : String(v);
    case 'boolean':
      return String(v);
    case 'undefined':
      return 'nothing';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof v}`;
  }
}

const fail = (path: string, expected: string, got: unknown): string => `${path}: expected ${expected}, got ${describeValue(got)}`;

/** Any string, optionally bounded in length. */
export function str(opts: { maxLength?: number; minLength?: number } = {}): Schema<string> {
  const max = opts.maxLength ?? 100_000;
  const min = opts.minLength ?? 0;
  return {
    check: (v, path) =>
      typeof v === 'string' && v.length <= max && v.length >= min
        ? null
        : fail(path, `a string of ${min}..${max} characters`, v),
  };
}

/**
 * A string matching `pattern` (anchor it), described for error messages as `what` (e.g. "a plan id such
 * as plan-0123…"). The length bound is checked first, so a hostile string never reaches the pattern.
 */
export function matching(pattern: RegExp, what: string, maxLength = 200): Schema<string> {
  return {
    check: (v, path) => (typeof v === 'string' && v.length <= maxLength && pattern.test(v) ? null : fail(path, what, v)),
  };
}

/** A finite number, optionally an integer and bounded. */
export function num(opts: { min?: number; max?: number; integer?: boolean } = {}): Schema<number> {
  const { min = -Number.MAX_VALUE, max = Number.MAX_VALUE, integer = false } = opts;
  const expected = `${integer ? 'an integer' : 'a number'}${opts.min !== undefined || opts.max !== undefined ? ` in [${opts.min ?? '-∞'}, ${opts.max ?? '∞'}]` : ''}`;
  return {
    check: (v, path) =>
      typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v))
        ? null
        : fail(path, expected, v),
  };
}

/** true or false. */
export const bool: Schema<boolean> = {
  check: (v, path) => (typeof v === 'boolean' ? null : fail(path, 'true or false', v)),
};

/** One of a fixed set of primitive values. */
export function oneOf<const T extends readonly (string | number | boolean)[]>(...values: T): Schema<T[number]> {
  const set = new Set<unknown>(values);
  const expected = values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
  return { check: (v, path) => (set.has(v) ? null : fail(path, expected, v)) };
}

/** T or null. */
export function nullable<T>(s: Schema<T>): Schema<T | null> {
  return { check: (v, path) => (v === null ? null : s.check(v, path)) };
}

/** A property that may be absent (for `key?: T` fields; obj() honours the marker). */
export function optional<T>(s: Schema<T>): Schema<T> & { optional: true } {
  return { optional: true, check: (v, path) => (v === undefined ? null : s.check(v, path)) };
}

/** An array of T with a bounded length. */
export function arr<T>(item: Schema<T>, opts: { maxLength: number; minLength?: number }): Schema<T[]> {
  const min = opts.minLength ?? 0;
  return {
    check: (v, path) => {
      if (!Array.isArray(v)) return fail(path, 'an array', v);
      if (v.length > opts.maxLength || v.length < min) return `${path}: expected ${min}..${opts.maxLength} items, got ${v.length}`;
      for (let i = 0; i < v.length; i++) {
        const e = item.check(v[i], `${path}[${i}]`);
        if (e !== null) return e;
      }
      return null;
    },
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

type Shape<T> = { [K in keyof T]-?: Schema<T[K]> };

/**
 * An object with exactly these keys. `strict` (the default) refuses unknown keys, which is what inputs to
 * the engine need; data coming back from the engine may be read leniently to allow newer fields.
 */
export function obj<T extends object>(shape: Shape<T>, opts: { strict?: boolean } = {}): Schema<T> {
  const strict = opts.strict ?? true;
  const entries = Object.entries(shape) as [string, Schema<unknown> & { optional?: true }][];
  const known = new Set(entries.map(([k]) => k));
  return {
    check: (v, path) => {
      if (!isPlainObject(v)) return fail(path, 'an object', v);
      for (const [key, s] of entries) {
        const has = Object.prototype.hasOwnProperty.call(v, key);
        if (!has) {
          if (s.optional) continue;
          return `${path}.${key}: required`;
        }
        const e = s.check(v[key], `${path}.${key}`);
        if (e !== null) return e;
      }
      if (strict) {
        let n = 0;
        for (const key in v) {
          if (!known.has(key)) return `${path}: unknown field ${describeValue(key)}`;
          if (++n > entries.length) break;
        }
      }
      return null;
    },
  };
}

/** An object whose keys all come from `keys` (any subset) with values of one schema. */
export function partialRecord<K extends string, V>(keys: readonly K[], value: Schema<V>): Schema<Partial<Record<K, V>>> {
  const allowed = new Set<string>(keys);
  return {
    check: (v, path) => {
      if (!isPlainObject(v)) return fail(path, 'an object', v);
      for (const key in v) {
        if (!allowed.has(key)) return `${path}: unknown key ${describeValue(key)}`;
        const e = value.check(v[key], `${path}.${key}`);
        if (e !== null) return e;
      }
      return null;
    },
  };
}

/** An object with every key of `keys` present, values of one schema. */
export function fullRecord<K extends string, V>(keys: readonly K[], value: Schema<V>): Schema<Record<K, V>> {
  const partial = partialRecord(keys, value);
  return {
    check: (v, path) => {
      const e = partial.check(v, path);
      if (e !== null) return e;
      for (const k of keys) if (!Object.prototype.hasOwnProperty.call(v, k)) return `${path}.${k}: required`;
      return null;
    },
  };
}

/**
 * A union told apart by one string field (e.g. `kind`), so the error can name the right branch.
 */
export function tagged<T extends object>(tag: string, branches: Record<string, Schema<T>>): Schema<T> {
  const names = Object.keys(branches);
  return {
    check: (v, path) => {
      if (!isPlainObject(v)) return fail(path, 'an object', v);
      const t = v[tag];
      const branch = typeof t === 'string' && Object.prototype.hasOwnProperty.call(branches, t) ? branches[t] : undefined;
      if (!branch) return fail(`${path}.${tag}`, `one of ${names.map((n) => JSON.stringify(n)).join(', ')}`, t);
      return branch.check(v, path);
    },
  };
}

/** A schema defined later (for recursive or mutually dependent schemas). */
export function lazy<T>(get: () => Schema<T>): Schema<T> {
  return { check: (v, path) => get().check(v, path) };
}

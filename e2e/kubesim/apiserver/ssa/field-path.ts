// Field paths in the managedFields "FieldsV1" vocabulary:
//   f:<name>        a field of a map/struct
//   k:{"name":"x"}  an item of an associative list, by its key fields
//   v:"value"       an item of a set list
// A path is a list of such elements; sets of paths are kept as joined strings.
import { deepEqual, isPlainObject } from '../patch/merge-patch.js';

export type PathElement = string;
export type FieldPath = readonly PathElement[];

const SEP = '\u0000';

export const encodePath = (p: FieldPath): string => p.join(SEP);
export const decodePath = (s: string): PathElement[] => (s === '' ? [] : s.split(SEP));

export function keyElement(item: Record<string, unknown>, keys: string[], defaults: Record<string, unknown>): PathElement {
  const k: Record<string, unknown> = {};
  for (const key of [...keys].sort()) k[key] = item[key] ?? defaults[key];
  return `k:${JSON.stringify(k)}`;
}

function findItem(list: unknown[], el: PathElement, defaults: Record<string, unknown>): number {
  if (el.startsWith('k:')) {
    const want = JSON.parse(el.slice(2)) as Record<string, unknown>;
    return list.findIndex((x) => isPlainObject(x) && Object.entries(want).every(([k, v]) => deepEqual(x[k] ?? defaults[k], v)));
  }
  if (el.startsWith('v:')) {
    const want = JSON.parse(el.slice(2)) as unknown;
    return list.findIndex((x) => deepEqual(x, want));
  }
  if (el.startsWith('i:')) return Number(el.slice(2));
  return -1;
}

/** The value at a path, or found=false. */
export function valueAt(obj: unknown, path: FieldPath, defaults: Record<string, unknown> = {}): { found: boolean; value?: unknown } {
  let cur: unknown = obj;
  for (const el of path) {
    if (el.startsWith('f:')) {
      if (!isPlainObject(cur) || !(el.slice(2) in cur)) return { found: false };
      cur = cur[el.slice(2)];
    } else {
      if (!Array.isArray(cur)) return { found: false };
      const i = findItem(cur, el, defaults);
      if (i < 0) return { found: false };
      cur = cur[i];
    }
  }
  return { found: true, value: cur };
}

/** Remove the field or list item at path (no-op when absent). */
export function removeAt(obj: unknown, path: FieldPath, defaults: Record<string, unknown> = {}): void {
  if (path.length === 0) return;
  const parent = valueAt(obj, path.slice(0, -1), defaults);
  if (!parent.found) return;
  const last = path[path.length - 1]!;
  if (last.startsWith('f:')) {
    if (isPlainObject(parent.value)) delete parent.value[last.slice(2)];
  } else if (Array.isArray(parent.value)) {
    const i = findItem(parent.value, last, defaults);
    if (i >= 0) parent.value.splice(i, 1);
  }
}

/** Human form used in conflict messages: .spec.containers[name="x"].image */
export function formatPath(path: FieldPath): string {
  return path
    .map((el) => {
      if (el.startsWith('f:')) return `.${el.slice(2)}`;
      if (el.startsWith('k:')) {
        const keys = JSON.parse(el.slice(2)) as Record<string, unknown>;
        return `[${Object.entries(keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
      }
      if (el.startsWith('v:')) return `[=${el.slice(2)}]`;
      return `[${el.slice(2)}]`;
    })
    .join('');
}

export const isItemElement = (el: PathElement | undefined): boolean => el !== undefined && (el.startsWith('k:') || el.startsWith('v:'));

// Strategic merge patch for built-in kinds, the subset kubectl generates:
// - maps merge recursively; `null` deletes a key;
// - lists with a merge key (see builtin-list-types.ts) merge item by item; an item
//   `{"$patch":"delete", <key>: v}` removes one, `{"$patch":"replace"}` replaces the list;
// - primitive lists with merge strategy (metadata.finalizers) are unions;
// - other lists are replaced;
// - directives `$patch: replace|delete` on maps, `$retainKeys`,
//   `$setElementOrder/<field>` and `$deleteFromPrimitiveList/<field>`.
import type { ListTypeResolver } from '../registry/resource-def.js';
import { deepClone, deepEqual, isPlainObject } from './merge-patch.js';

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/** Remove every `$...` directive from a value that is inserted as is. */
function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(isPlainObject(x) && x.$patch === 'delete')).map(stripDirectives);
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$') && x !== null) out[k] = stripDirectives(x);
  return out;
}

function sameKey(a: unknown, b: unknown, keys: string[]): boolean {
  if (!isPlainObject(a) || !isPlainObject(b)) return deepEqual(a, b);
  return keys.every((k) => deepEqual(a[k], b[k]));
}

export function applyStrategicMergePatch(original: unknown, patch: unknown, resolver: ListTypeResolver, path: string[] = []): unknown {
  if (!isPlainObject(patch)) return deepClone(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch === 'delete') return undefined;
  const result: Record<string, unknown> = isPlainObject(original) ? deepClone(original) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete result[k];
    } else if (isPlainObject(v)) {
      const merged = applyStrategicMergePatch(result[k], v, resolver, [...path, k]);
      if (merged === undefined) delete result[k];
      else result[k] = merged;
    } else if (Array.isArray(v)) {
      result[k] = mergeList(result[k], v, resolver, [...path, k]);
    } else {
      result[k] = v;
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_FROM) && Array.isArray(v)) {
      const field = k.slice(DELETE_FROM.length);
      if (Array.isArray(result[field])) result[field] = (result[field] as unknown[]).filter((x) => !v.some((d) => deepEqual(d, x)));
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(SET_ORDER) && Array.isArray(v)) {
      const field = k.slice(SET_ORDER.length);
      if (Array.isArray(result[field])) result[field] = reorder(result[field] as unknown[], v, resolver, [...path, field]);
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(result)) if (!keep.has(k)) delete result[k];
  }
  return result;
}

function mergeList(original: unknown, patch: unknown[], resolver: ListTypeResolver, path: string[]): unknown[] {
  const orig = Array.isArray(original) ? original : [];
  const lt = resolver(path, patch.length > 0 ? patch : orig);
  if (lt.type === 'atomic') return stripDirectives(patch) as unknown[];
  if (lt.type === 'set') {
    const out = deepClone(orig);
    for (const x of patch) if (!out.some((y) => deepEqual(x, y))) out.push(deepClone(x));
    return out;
  }
  if (patch.some((x) => isPlainObject(x) && x.$patch === 'replace')) {
    return patch.filter((x) => !(isPlainObject(x) && x.$patch === 'replace')).map(stripDirectives);
  }
  const out: unknown[] = deepClone(orig);
  for (const item of patch) {
    if (isPlainObject(item) && item.$patch === 'delete') {
      for (let i = out.length - 1; i >= 0; i--) if (sameKey(out[i], item, lt.keys)) out.splice(i, 1);
      continue;
    }
    const idx = out.findIndex((x) => sameKey(x, item, lt.keys));
    if (idx >= 0) out[idx] = applyStrategicMergePatch(out[idx], item, resolver, path);
    else out.push(stripDirectives(item));
  }
  return out;
}

function reorder(list: unknown[], order: unknown[], resolver: ListTypeResolver, path: string[]): unknown[] {
  const lt = resolver(path, list);
  const keys = lt.type === 'map' ? lt.keys : [];
  const ordered: unknown[] = [];
  const rest = [...list];
  for (const o of order) {
    const idx = rest.findIndex((x) => (keys.length ? sameKey(x, o, keys) : deepEqual(x, o)));
    if (idx >= 0) ordered.push(...rest.splice(idx, 1));
  }
  return [...ordered, ...rest];
}

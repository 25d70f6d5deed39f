// Sets of owned field paths: computing them from an object, the FieldsV1 wire form,
// and the fields an update changed.
import { LIST_KEY_DEFAULTS } from '../registry/builtin-list-types.js';
import type { ListTypeResolver } from '../registry/resource-def.js';
import { deepEqual, isPlainObject } from '../patch/merge-patch.js';
import { decodePath, encodePath, isItemElement, keyElement, valueAt, type PathElement } from './field-path.js';

export type FieldSet = Set<string>;

/** Fields that are never owned by a manager (identity and server-set metadata). */
const IGNORED_TOP = new Set(['apiVersion', 'kind']);
const IGNORED_METADATA = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']);

export interface FieldSetScope {
  listType: ListTypeResolver;
  /** Restrict to (or exclude) the status stanza, as a subresource boundary. */
  status: 'only' | 'exclude' | 'include';
}

/** Every leaf (and list item) path set in obj. */
export function fieldSetOf(obj: unknown, scope: FieldSetScope): FieldSet {
  const out: FieldSet = new Set();
  if (!isPlainObject(obj)) return out;
  for (const [k, v] of Object.entries(obj)) {
    if (IGNORED_TOP.has(k) || v === undefined || v === null) continue;
    if (scope.status === 'only' && k !== 'status') continue;
    if (scope.status === 'exclude' && k === 'status') continue;
    if (k === 'metadata' && isPlainObject(v)) {
      for (const [mk, mv] of Object.entries(v)) {
        if (IGNORED_METADATA.has(mk) || mv === undefined || mv === null) continue;
        walk(mv, ['f:metadata', `f:${mk}`], ['metadata', mk], scope.listType, out);
      }
      continue;
    }
    walk(v, [`f:${k}`], [k], scope.listType, out);
  }
  return out;
}

function walk(v: unknown, path: PathElement[], names: string[], listType: ListTypeResolver, out: FieldSet): void {
  if (isPlainObject(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined && x !== null);
    if (entries.length === 0) out.add(encodePath(path));
    for (const [k, x] of entries) walk(x, [...path, `f:${k}`], [...names, k], listType, out);
    return;
  }
  if (Array.isArray(v)) {
    const lt = listType(names, v);
    if (lt.type === 'atomic' || v.length === 0) {
      out.add(encodePath(path));
      return;
    }
    for (const item of v) {
      if (lt.type === 'set' || !isPlainObject(item)) {
        out.add(encodePath([...path, `v:${JSON.stringify(item)}`]));
        continue;
      }
      const itemPath = [...path, keyElement(item, lt.keys, LIST_KEY_DEFAULTS)];
      out.add(encodePath(itemPath));
      walk(item, itemPath, names, listType, out);
    }
    return;
  }
  out.add(encodePath(path));
}

type Tree = { [el: string]: Tree };

/** Set -> FieldsV1 JSON (a "." child marks a node that is owned and has children). */
export function toFieldsV1(set: FieldSet): Tree {
  const root: Tree = {};
  const owned = new Set<Tree>();
  for (const s of set) {
    let node = root;
    for (const el of decodePath(s)) node = node[el] ??= {};
    owned.add(node);
  }
  const finish = (node: Tree): void => {
    for (const child of Object.values(node)) finish(child);
    if (owned.has(node) && Object.keys(node).length > 0) node['.'] = {};
  };
  finish(root);
  return root;
}

export function fromFieldsV1(tree: unknown): FieldSet {
  const out: FieldSet = new Set();
  const visit = (node: unknown, path: PathElement[]): void => {
    if (!isPlainObject(node)) return;
    const keys = Object.keys(node);
    if (path.length > 0 && (keys.length === 0 || keys.includes('.'))) out.add(encodePath(path));
    for (const k of keys) if (k !== '.') visit(node[k], [...path, k]);
  };
  visit(tree, []);
  return out;
}

/**
 * The paths an update touched: leaves whose value differs or that are new in `after`,
 * new list items, and (separately) paths present before but gone after.
 */
export function diffFieldSets(before: unknown, after: unknown, scope: FieldSetScope): { changed: FieldSet; removed: FieldSet } {
  const a = fieldSetOf(before, scope);
  const b = fieldSetOf(after, scope);
  const changed: FieldSet = new Set();
  for (const p of b) {
    if (!a.has(p)) {
      changed.add(p);
      continue;
    }
    const path = decodePath(p);
    if (isItemElement(path[path.length - 1])) continue;
    if (!deepEqual(valueAt(before, path, LIST_KEY_DEFAULTS).value, valueAt(after, path, LIST_KEY_DEFAULTS).value)) changed.add(p);
  }
  const removed: FieldSet = new Set([...a].filter((p) => !b.has(p)));
  return { changed, removed };
}

/** True if set owns p or anything below p. */
export function ownsAtOrBelow(set: FieldSet, p: string): boolean {
  if (set.has(p)) return true;
  const prefix = p + '\u0000';
  for (const s of set) if (s.startsWith(prefix)) return true;
  return false;
}

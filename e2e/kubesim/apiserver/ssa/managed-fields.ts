// metadata.managedFields bookkeeping for Update operations (create/update/patch)
// and server-side apply (merge, conflicts, removal of fields a manager dropped).
import { ApiError } from '../http/status.js';
import { deepClone, deepEqual, isPlainObject } from '../patch/merge-patch.js';
import { LIST_KEY_DEFAULTS } from '../registry/builtin-list-types.js';
import type { ListTypeResolver } from '../registry/resource-def.js';
import { decodePath, formatPath, isItemElement, removeAt, valueAt } from './field-path.js';
import { diffFieldSets, fieldSetOf, fromFieldsV1, ownsAtOrBelow, toFieldsV1, type FieldSet, type FieldSetScope } from './fieldset.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: unknown;
  subresource?: string;
}

interface Entry {
  raw: ManagedFieldsEntry;
  set: FieldSet;
}

export interface ManagerContext {
  manager: string;
  apiVersion: string;
  subresource?: string;
  now: string;
  listType: ListTypeResolver;
  /** Whether status lives behind a status subresource for this resource. */
  hasStatusSubresource: boolean;
}

function scopeFor(ctx: ManagerContext): FieldSetScope {
  if (!ctx.hasStatusSubresource) return { listType: ctx.listType, status: 'include' };
  return { listType: ctx.listType, status: ctx.subresource === 'status' ? 'only' : 'exclude' };
}

function readEntries(obj: unknown): Entry[] {
  const mf = isPlainObject(obj) && isPlainObject(obj.metadata) ? obj.metadata.managedFields : undefined;
  if (!Array.isArray(mf)) return [];
  return (mf as ManagedFieldsEntry[]).map((raw) => ({ raw, set: fromFieldsV1(raw.fieldsV1) }));
}

function writeEntries(entries: Entry[]): ManagedFieldsEntry[] {
  return entries
    .filter((e) => e.set.size > 0)
    .map((e) => ({ ...e.raw, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(e.set) }));
}

const sameOwner = (e: ManagedFieldsEntry, ctx: ManagerContext, op: 'Apply' | 'Update'): boolean =>
  e.manager === ctx.manager && e.operation === op && (e.subresource ?? '') === (ctx.subresource ?? '');

function newEntry(ctx: ManagerContext, op: 'Apply' | 'Update'): Entry {
  const raw: ManagedFieldsEntry = { manager: ctx.manager, operation: op, apiVersion: ctx.apiVersion, time: ctx.now, fieldsType: 'FieldsV1', fieldsV1: {} };
  if (ctx.subresource) raw.subresource = ctx.subresource;
  return { raw, set: new Set() };
}

/**
 * managedFields after a non-apply write from `before` (undefined on create) to `after`.
 * A request that sets managedFields explicitly (kubectl's client-side -> server-side
 * apply migration does) keeps them as sent.
 */
export function recordUpdate(before: Record<string, any> | undefined, after: Record<string, any>, ctx: ManagerContext): ManagedFieldsEntry[] {
  const requested = after.metadata?.managedFields;
  const previous = before?.metadata?.managedFields;
  if (Array.isArray(requested) && !deepEqual(requested, previous ?? [])) return requested as ManagedFieldsEntry[];
  const entries = readEntries(before);
  const { changed, removed } = diffFieldSets(before, after, scopeFor(ctx));
  if (changed.size === 0 && removed.size === 0) return (previous as ManagedFieldsEntry[] | undefined) ?? [];
  for (const e of entries) for (const p of [...changed, ...removed]) e.set.delete(p);
  let mine = entries.find((e) => sameOwner(e.raw, ctx, 'Update'));
  if (!mine) {
    mine = newEntry(ctx, 'Update');
    entries.push(mine);
  }
  mine.raw = { ...mine.raw, time: ctx.now, apiVersion: ctx.apiVersion };
  for (const p of changed) mine.set.add(p);
  return writeEntries(entries);
}

/** Merge an applied configuration into a live object (SSA merge semantics). */
export function mergeApplied(live: unknown, applied: unknown, listType: ListTypeResolver, names: string[] = []): unknown {
  if (isPlainObject(applied)) {
    const out: Record<string, unknown> = isPlainObject(live) ? deepClone(live) : {};
    for (const [k, v] of Object.entries(applied)) {
      if (v === null) delete out[k];
      else out[k] = mergeApplied(out[k], v, listType, [...names, k]);
    }
    return out;
  }
  if (Array.isArray(applied)) {
    const lt = listType(names, applied);
    if (lt.type === 'atomic' || !Array.isArray(live)) return deepClone(applied);
    const out = deepClone(live) as unknown[];
    if (lt.type === 'set') {
      for (const x of applied) if (!out.some((y) => deepEqual(x, y))) out.push(deepClone(x));
      return out;
    }
    const keyOf = (x: unknown): string =>
      JSON.stringify(lt.keys.map((k) => (isPlainObject(x) ? (x[k] ?? LIST_KEY_DEFAULTS[k]) : undefined)));
    for (const item of applied) {
      const idx = out.findIndex((x) => keyOf(x) === keyOf(item));
      if (idx >= 0) out[idx] = mergeApplied(out[idx], item, listType, names);
      else out.push(deepClone(item));
    }
    return out;
  }
  return applied;
}

export interface ApplyResult {
  object: Record<string, any>;
  managedFields: ManagedFieldsEntry[];
}

/** Server-side apply of `applied` by ctx.manager onto `live` (undefined when creating). */
export function serverSideApply(live: Record<string, any> | undefined, applied: Record<string, any>, ctx: ManagerContext, force: boolean): ApplyResult {
  const scope = scopeFor(ctx);
  const entries = readEntries(live);
  const newSet = fieldSetOf(applied, scope);
  const mine = entries.find((e) => sameOwner(e.raw, ctx, 'Apply'));
  const oldSet = mine?.set ?? new Set<string>();

  // Conflicts: fields another manager owns whose live value differs from the applied one.
  const conflicts: Array<{ manager: string; path: string; entry: Entry }> = [];
  for (const e of entries) {
    if (e === mine) continue;
    for (const p of newSet) {
      if (!e.set.has(p)) continue;
      const path = decodePath(p);
      if (isItemElement(path[path.length - 1])) continue;
      const lv = valueAt(live, path, LIST_KEY_DEFAULTS);
      const av = valueAt(applied, path, LIST_KEY_DEFAULTS);
      if (lv.found && !deepEqual(lv.value, av.value)) conflicts.push({ manager: e.raw.manager, path: p, entry: e });
    }
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts, ctx);
  for (const c of conflicts) c.entry.set.delete(c.path);

  let object = mergeApplied(live ?? {}, applied, ctx.listType) as Record<string, any>;
  // Fields this manager applied before but not now are removed unless someone else owns them.
  const dropped = [...oldSet].filter((p) => !newSet.has(p)).sort((a, b) => a.length - b.length);
  for (const p of dropped) {
    const ownedElsewhere = entries.some((e) => e !== mine && ownsAtOrBelow(e.set, p));
    if (!ownedElsewhere) removeAt(object, decodePath(p), LIST_KEY_DEFAULTS);
  }
  object = pruneEmptyMaps(object, live) as Record<string, any>;

  const entry = mine ?? newEntry(ctx, 'Apply');
  if (!mine) entries.push(entry);
  entry.raw = { ...entry.raw, time: ctx.now, apiVersion: ctx.apiVersion };
  entry.set = newSet;
  // Keep the bookkeeping consistent: paths that no longer exist are owned by nobody.
  for (const e of entries) {
    if (e === entry) continue;
    for (const p of [...e.set]) if (!valueAt(object, decodePath(p), LIST_KEY_DEFAULTS).found) e.set.delete(p);
  }
  return { object, managedFields: writeEntries(entries) };
}

/** Maps that became empty only because fields were removed (labels: {}) are dropped. */
function pruneEmptyMaps(obj: unknown, before: unknown): unknown {
  if (!isPlainObject(obj)) return obj;
  for (const [k, v] of Object.entries(obj)) {
    const prev = isPlainObject(before) ? before[k] : undefined;
    if (isPlainObject(v)) {
      obj[k] = pruneEmptyMaps(v, prev);
      if (Object.keys(obj[k] as object).length === 0 && isPlainObject(prev) && Object.keys(prev).length > 0) delete obj[k];
    }
  }
  return obj;
}

function conflictError(conflicts: Array<{ manager: string; path: string }>, ctx: ManagerContext): ApiError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with "${c.manager}"${ctx.subresource ? ` with subresource "${ctx.subresource}"` : ''} using ${ctx.apiVersion}`,
    field: formatPath(decodePath(c.path)),
  }));
  const lines = causes.map((c) => `- ${c.message}: ${c.field}`).join('\n');
  const n = conflicts.length;
  return new ApiError(409, 'Conflict', `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${n === 1 ? `${causes[0]!.message}: ${causes[0]!.field}` : `\n${lines}`}`, { causes });
}

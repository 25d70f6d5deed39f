// diffAddons: rendered addons against the live labelled objects -> per-addon object changes
// (+ create, ~ update with RFC 6902 operations, - prune). Pure: used by the planner.
// A live object no addon renders is pruned only when this tool applied it (the ownership
// record names it), when the manifest deletes its addon, or when a rendered addon retires it
// by name as KubeOne does (RETIRED_OBJECTS); any other is unmanaged: left alone and listed,
// with how to remove it. The CustomResourceDefinitions of an addon turned off (e.g. the
// Machine API of machineController.deploy: false) are kept unless the manifest deletes the
// addon: deleting a CRD deletes every object of its kinds, which kubeone did not create.
import jsonpatch from 'fast-json-patch';
import type { AddonObjectFacts } from '../snapshot/types.js';
import type { OwnershipRecord } from '../snapshot/types.js';
import type { ChangeSymbol, ObjectDiff, ObjectRef, RenderedAddon, RenderedObject } from '../plan/types.js';
import { normalizeObject, objectKey, projectLiveOntoRendered, type KubeObject } from './normalize.js';
import { PATCH_ADDONS } from './patch-addons.js';
import { isRetired } from './retired.js';

export interface AddonDiff {
  addon: string;
  /** Absent for an addon only found live (to be pruned). */
  source?: 'embedded' | 'custom';
  /** '+' all objects new, '-' all pruned, '~' otherwise; null when converged. */
  change: ChangeSymbol | null;
  /** Changed objects only, in render order, prunes last. */
  objects: ObjectDiff[];
}

/** Who owns the live addon objects, as the pruning rule asks. */
export interface AddonOwnership {
  /** This tool applied the object `key` (objectKey) of `addon`. */
  owns(addon: string, key: string): boolean;
  /** Addons the manifest deletes (pkg/addons/selection addonDeletions): all their labelled objects go. */
  deleted: ReadonlySet<string>;
}

/** Ownership from the in-cluster record (none: nothing owned) and the manifest's deletions. */
export function addonOwnership(record: OwnershipRecord | null | undefined, deleted: Iterable<string> = []): AddonOwnership {
  const owned = new Map(Object.entries(record?.addons ?? {}).map(([addon, keys]) => [addon, new Set(keys)]));
  return { owns: (addon, key) => owned.get(addon)?.has(key) ?? false, deleted: new Set(deleted) };
}

/** Live objects labelled with an addon that no rendered addon produces and that this tool may not delete. */
export interface UnmanagedAddon {
  addon: string;
  /** The addon is rendered from the manifest (only some of its live objects are not). */
  rendered: boolean;
  objects: ObjectRef[];
  /** kubeone applied them (CRDs of an addon turned off, kept for the custom resources they hold). */
  keptDefinitions?: boolean;
}

/** Operations turning the live object (projected onto the rendered fields) into the rendered one. */
export function objectPatch(live: KubeObject, rendered: KubeObject): ObjectDiff['patch'] {
  const from = projectLiveOntoRendered(live, rendered);
  const to = normalizeObject(rendered);
  return jsonpatch.compare(from, to).map((op) => ({ ...op }));
}

function same(r: RenderedObject, l: AddonObjectFacts): { equal: boolean; patch?: ObjectDiff['patch'] } {
  if (l.hash === r.hash) return { equal: true };
  if (!l.object || !r.object) return { equal: false };
  const patch = objectPatch(l.object, r.object);
  // Secrets: data is in neither object, so only the hash can tell a difference.
  if (!patch?.length && r.kind !== 'Secret') return { equal: true };
  return { equal: false, patch: patch ?? [] };
}

export function diffAddons(rendered: RenderedAddon[], live: AddonObjectFacts[], ownership: AddonOwnership = addonOwnership(null)): AddonDiff[] {
  return compareAddons(rendered, live, ownership).diffs;
}

/** The per-addon changes, and the live objects left alone because this tool does not own them. */
export function compareAddons(
  rendered: RenderedAddon[],
  live: AddonObjectFacts[],
  ownership: AddonOwnership = addonOwnership(null),
): { diffs: AddonDiff[]; unmanaged: UnmanagedAddon[] } {
  const liveByKey = new Map(live.map((l) => [objectKey(l), l]));
  // A rendered object of a kind the renderer could not place has no namespace; the client
  // puts a namespaced one into "default".
  const find = (r: RenderedObject): [string, AddonObjectFacts | undefined] => {
    const key = objectKey(r);
    if (liveByKey.has(key) || r.namespace) return [key, liveByKey.get(key)];
    const inDefault = objectKey({ ...r, namespace: 'default' });
    return liveByKey.has(inDefault) ? [inDefault, liveByKey.get(inDefault)] : [key, undefined];
  };
  const renderedKeys = new Set<string>();
  const out: AddonDiff[] = [];
  for (const addon of rendered) {
    const objects: ObjectDiff[] = [];
    for (const r of addon.objects) {
      const [key, l] = find(r);
      renderedKeys.add(key);
      const id = { apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace, name: r.name };
      if (!l) {
        objects.push({ ...id, change: '+' });
        continue;
      }
      const cmp = same(r, l);
      if (!cmp.equal) objects.push({ ...id, change: '~', ...(cmp.patch ? { patch: cmp.patch } : {}) });
    }
    out.push({ addon: addon.name, source: addon.source, change: summarize(objects, addon.objects.length), objects });
  }
  // Live objects no rendered addon produces any more: pruned when ours or deleted by the
  // manifest (never for patch addons, whose targets are kubeadm's), listed otherwise.
  const renderedNames = new Set(rendered.map((a) => a.name));
  const prunes = new Map<string, ObjectDiff[]>();
  const unmanaged = new Map<string, ObjectRef[]>();
  const kept = new Map<string, ObjectRef[]>();
  for (const l of live) {
    const key = objectKey(l);
    if (renderedKeys.has(key) || PATCH_ADDONS.has(l.addon)) continue;
    const ref = { apiVersion: l.apiVersion, kind: l.kind, namespace: l.namespace, name: l.name };
    // An object rendered without a namespace was applied into "default" (see find above).
    const owned =
      ownership.owns(l.addon, key) ||
      (l.namespace === 'default' && ownership.owns(l.addon, objectKey({ ...l, namespace: '' }))) ||
      (renderedNames.has(l.addon) && isRetired(l.addon, ref));
    if (!ownership.deleted.has(l.addon) && !owned) {
      unmanaged.set(l.addon, [...(unmanaged.get(l.addon) ?? []), ref]);
      continue;
    }
    if (!ownership.deleted.has(l.addon) && !renderedNames.has(l.addon) && l.kind === 'CustomResourceDefinition') {
      kept.set(l.addon, [...(kept.get(l.addon) ?? []), ref]);
      continue;
    }
    const list = prunes.get(l.addon) ?? [];
    list.push({ ...ref, change: '-' });
    prunes.set(l.addon, list);
  }
  for (const [addon, objs] of [...prunes.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const existing = out.find((d) => d.addon === addon);
    if (existing) {
      existing.objects.push(...objs);
      existing.change = '~';
    } else out.push({ addon, change: '-', objects: objs });
  }
  return {
    diffs: out,
    unmanaged: [
      ...[...unmanaged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([addon, objects]) => ({ addon, rendered: renderedNames.has(addon), objects })),
      ...[...kept.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([addon, objects]) => ({ addon, rendered: false, objects, keptDefinitions: true })),
    ],
  };
}

function summarize(objects: ObjectDiff[], total: number): ChangeSymbol | null {
  if (!objects.length) return null;
  if (objects.length === total && objects.every((o) => o.change === '+')) return '+';
  return '~';
}

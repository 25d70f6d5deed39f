// diffAddons: rendered addons against the live labelled objects -> per-addon object changes
// (+ create, ~ update with RFC 6902 operations, - prune). Pure: used by the planner.
import jsonpatch from 'fast-json-patch';
import type { AddonObjectFacts } from '../snapshot/types.js';
import type { ChangeSymbol, ObjectDiff, RenderedAddon, RenderedObject } from '../plan/types.js';
import { normalizeObject, objectKey, projectLiveOntoRendered, type KubeObject } from './normalize.js';
import { PATCH_ADDONS } from './patch-addons.js';

export interface AddonDiff {
  addon: string;
  /** Absent for an addon only found live (to be pruned). */
  source?: 'embedded' | 'custom';
  /** '+' all objects new, '-' all pruned, '~' otherwise; null when converged. */
  change: ChangeSymbol | null;
  /** Changed objects only, in render order, prunes last. */
  objects: ObjectDiff[];
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

export function diffAddons(rendered: RenderedAddon[], live: AddonObjectFacts[]): AddonDiff[] {
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
  // Live objects no rendered addon produces any more: pruned (never for patch addons).
  const prunes = new Map<string, ObjectDiff[]>();
  for (const l of live) {
    if (renderedKeys.has(objectKey(l)) || PATCH_ADDONS.has(l.addon)) continue;
    const list = prunes.get(l.addon) ?? [];
    list.push({ apiVersion: l.apiVersion, kind: l.kind, namespace: l.namespace, name: l.name, change: '-' });
    prunes.set(l.addon, list);
  }
  for (const [addon, objs] of [...prunes.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const existing = out.find((d) => d.addon === addon);
    if (existing) {
      existing.objects.push(...objs);
      existing.change = '~';
    } else out.push({ addon, change: '-', objects: objs });
  }
  return out;
}

function summarize(objects: ObjectDiff[], total: number): ChangeSymbol | null {
  if (!objects.length) return null;
  if (objects.length === total && objects.every((o) => o.change === '+')) return '+';
  return '~';
}

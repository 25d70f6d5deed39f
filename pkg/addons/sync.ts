// syncAddons: the whole addon reconcile in one call (list live, diff, apply what changed,
// prune what is gone). The executor runs the same pieces as separate plan steps.
import type { KubeConfig } from '@kubernetes/client-node';
import type { RenderedAddon } from '../plan/types.js';
import { applyAddonObjects, listAddonObjects, pruneAddonObjects, type ObjectRef } from './apply.js';
import { diffAddons, type AddonDiff } from './diff.js';

export interface SyncResult {
  diffs: AddonDiff[];
  applied: ObjectRef[];
  pruned: ObjectRef[];
  skipped: { object: ObjectRef; reason: string }[];
}

export async function syncAddons(kubeConfig: KubeConfig, rendered: RenderedAddon[]): Promise<SyncResult> {
  const live = await listAddonObjects(kubeConfig, rendered);
  const diffs = diffAddons(rendered, live);
  const result: SyncResult = { diffs, applied: [], pruned: [], skipped: [] };
  for (const d of diffs) {
    const addon = rendered.find((a) => a.name === d.addon);
    if (addon && d.objects.some((o) => o.change !== '-')) {
      // The whole addon is applied: unchanged objects are no-ops for server-side apply.
      const r = await applyAddonObjects(kubeConfig, addon);
      result.applied.push(...r.applied);
      result.skipped.push(...r.skipped);
    }
    const gone = d.objects.filter((o) => o.change === '-').map((o) => ({ ...o, addon: d.addon }));
    if (gone.length) result.pruned.push(...(await pruneAddonObjects(kubeConfig, gone)).deleted);
  }
  return result;
}

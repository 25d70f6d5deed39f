// prune-addon: an addon no longer enabled in the manifest loses the live objects kubeone
// applied (the ownership record names them); an addon the manifest deletes (`delete: true`,
// or coredns-pdb / nodelocaldns with their feature turned off, as KubeOne does) loses every
// object labelled with it. Patch addons, whose objects belong to kubeadm, never do. Labelled
// objects kubeone neither renders nor applied are left alone and listed as warnings.
import { describeUnmanaged } from '../../addons/format.js';
import type { ActionKindModule } from '../kind.js';
import { addonDiffs, addonSteps, addonsAfter, unmanagedAddons } from './apply-addon.js';

export const idOf = (name: string): string => `prune-addon:${name}`;

export const pruneAddon: ActionKindModule<'prune-addon'> = {
  name: 'delete addons no longer enabled',
  when: ['create', 'reconcile'],
  kinds: { 'prune-addon': { change: '-', serial: false, disruptive: false } },
  plan(ctx) {
    const diffs = addonDiffs(ctx);
    if (diffs === null) return [];
    for (const u of unmanagedAddons(ctx)) ctx.b.warn(describeUnmanaged(u));
    const after = addonsAfter(ctx);
    const deletions = ctx.desired.addonDeletions ?? [];
    return diffs
      .filter((d) => d.source === undefined)
      .map((d) => {
        const deletion = deletions.find((x) => x.name === d.addon);
        return {
          kind: 'prune-addon' as const,
          id: idOf(d.addon),
          hosts: [],
          title: `delete addon ${d.addon}`,
          reason: deletion
            ? `${deletion.reason}: its ${d.objects.length} live object(s) labelled kubeone.io/addon=${d.addon} are deleted`
            : `addon ${d.addon} is no longer enabled in the manifest (addons / features); kubeone applied its ${d.objects.length} live object(s) (ownership record)`,
          dependsOn: after,
          steps: addonSteps(d.addon, d.objects),
          objects: d.objects,
        };
      });
  },
};

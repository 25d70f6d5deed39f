// prune-addon: an addon that has live objects but is no longer enabled in the manifest is
// deleted as a whole (patch addons, whose objects belong to someone else, never are).
import type { ActionKindModule } from '../kind.js';
import { addonDiffs, addonSteps, addonsAfter } from './apply-addon.js';

export const idOf = (name: string): string => `prune-addon:${name}`;

export const pruneAddon: ActionKindModule<'prune-addon'> = {
  name: 'delete addons no longer enabled',
  when: ['create', 'reconcile'],
  kinds: { 'prune-addon': { change: '-', serial: false, disruptive: false } },
  plan(ctx) {
    const diffs = addonDiffs(ctx);
    if (diffs === null) return [];
    const after = addonsAfter(ctx);
    return diffs
      .filter((d) => d.source === undefined)
      .map((d) => ({
        kind: 'prune-addon' as const,
        id: idOf(d.addon),
        hosts: [],
        title: `delete addon ${d.addon}`,
        reason: `addon ${d.addon} has ${d.objects.length} live object(s) but is not enabled in the manifest (addons / features)`,
        dependsOn: after,
        steps: addonSteps(d.addon, d.objects),
        objects: d.objects,
      }));
  },
};

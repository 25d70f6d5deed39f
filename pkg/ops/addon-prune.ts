// addon.prune: delete live objects of an addon that it no longer renders (or of an addon no
// longer enabled). Only objects still labelled with that addon are deleted.
import { ADDON_OBJECTS_PARAMS, type AddonObjectsParams } from './params.js';
import { defineOp } from './types.js';

export const addonPrune = defineOp<AddonObjectsParams>({
  summary: 'delete the objects an addon no longer renders',
  params: ADDON_OBJECTS_PARAMS,
  changes: 'cluster',
  marksInflight: false,
  async run({ deps }, { addon, objects }) {
    await deps.addons.prune(await deps.kubeConfig(), objects.map((o) => ({ ...o, addon })));
  },
  stillDone: () => true,
  model(world, { addon, objects }) {
    if (!world.kube) return;
    world.kube.addonObjects = world.kube.addonObjects.filter(
      (o) => !(o.addon === addon && objects.some((r) => r.kind === o.kind && r.namespace === o.namespace && r.name === o.name)),
    );
  },
});

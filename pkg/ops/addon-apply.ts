// addon.apply: server-side apply of the rendered objects of one addon (pkg/addons through the
// AddonApplier interface). The whole addon is applied: unchanged objects are no-ops.
import { leaderName } from './context.js';
import { PreconditionError } from './errors.js';
import { ADDON_OBJECTS_PARAMS, type AddonObjectsParams } from './params.js';
import { defineOp } from './types.js';

export const addonApply = defineOp<AddonObjectsParams>({
  summary: 'server-side apply the objects of an addon',
  params: ADDON_OBJECTS_PARAMS,
  changes: 'cluster',
  marksInflight: false,
  async run({ deps }, { addon: name }) {
    const addon = (deps.desired.addons ?? []).find((a) => a.name === name);
    if (!addon) throw new PreconditionError(`addon.apply: addon "${name}" was not rendered`);
    await deps.addons.apply(await deps.kubeConfig(), addon, { readFile: async (path) => (await deps.transport(leaderName(deps))).readFile(path) });
  },
  // The probe hashes the live objects again and the planner compares them: the journal is trusted.
  stillDone: () => true,
  model(world, { addon: name, objects }) {
    const addon = world.desired.addons?.find((a) => a.name === name);
    for (const ref of objects) {
      const want = addon?.objects.find((o) => o.kind === ref.kind && o.namespace === ref.namespace && o.name === ref.name);
      if (!want || !world.kube) throw new Error(`model: addon.apply of an object that is not rendered`);
      world.kube.addonObjects = world.kube.addonObjects.filter((o) => !(o.kind === ref.kind && o.namespace === ref.namespace && o.name === ref.name));
      world.kube.addonObjects.push({ addon: addon!.name, ...structuredClone(want) });
    }
  },
});

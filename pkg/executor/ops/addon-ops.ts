// addon.apply / addon.prune: delegated to pkg/addons (server-side apply and pruning of the
// rendered objects) through the AddonApplier interface.
import type { OpRegistry } from '../types.js';
import { type OpDeps, leaderName } from './context.js';

export function addonOps(deps: OpDeps): OpRegistry {
  return {
    'addon.apply': async (ctx) => {
      const name = String(ctx.step.params?.addon ?? ctx.step.params?.name ?? '');
      const addon = (deps.desired.addons ?? []).find((a) => a.name === name);
      if (!addon) throw new Error(`addon.apply: addon "${name}" was not rendered`);
      await deps.addons.apply(await deps.kubeConfig(), addon, { readFile: async (path) => (await deps.transport(leaderName(deps))).readFile(path) });
    },
    'addon.prune': async (ctx) => {
      const objects = (ctx.step.params?.objects as unknown[] | undefined) ?? ctx.action.objects?.filter((o) => o.change === '-') ?? [];
      if (objects.length === 0) return;
      await deps.addons.prune(await deps.kubeConfig(), objects);
    },
  };
}

// host.prerequisites: OS packages, swap off (now and after reboot), kernel modules, sysctls.
import { renderPrerequisites } from '../scripts/prerequisites.js';
import { familyOf, hostByName, runScript } from './context.js';
import { defineOp } from './types.js';

export const hostPrerequisites = defineOp({
  summary: 'install OS packages, disable swap, load kernel modules and set sysctls',
  params: null,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }) {
    const host = hostByName(deps, step.host);
    const ipFamily = deps.loaded.cluster.clusterNetwork?.ipFamily ?? 'IPv4';
    const script = renderPrerequisites(familyOf(deps, host), { proxy: deps.loaded.cluster.proxy, ipv6: ipFamily !== 'IPv4' });
    await runScript(await deps.transport(host.name), script, 'prerequisites');
  },
  // The script is guarded step by step; running it again is cheap and safe.
  stillDone: () => true,
  model(world, _params, host) {
    const h = world.host(host);
    h.swapOn = false;
    h.prerequisites = { modules: true, sysctls: true, swapDisabledPersistently: true };
  },
});

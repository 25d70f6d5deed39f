// host.prerequisites: OS packages, swap off (now and after reboot), kernel modules, sysctls.
import { renderPrerequisites } from '../scripts/prerequisites.js';
import { hostScriptOp } from './host-script-op.js';

export const hostPrerequisites = hostScriptOp({
  summary: 'install OS packages, disable swap, load kernel modules and set sysctls',
  what: 'prerequisites',
  render: (deps, _host, family) =>
    renderPrerequisites(family, { proxy: deps.loaded.cluster.proxy, ipv6: (deps.loaded.cluster.clusterNetwork?.ipFamily ?? 'IPv4') !== 'IPv4' }),
  // The script is guarded step by step; running it again is cheap and safe.
  stillDone: () => true,
  model(world, host) {
    const h = world.host(host);
    h.swapOn = false;
    h.prerequisites = { modules: true, sysctls: true, swapDisabledPersistently: true };
  },
});

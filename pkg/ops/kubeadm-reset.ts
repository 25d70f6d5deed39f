// kubeadm.reset: kubeone reset, a removed host, or the leftovers of a failed earlier run.
import { renderKubeadmReset } from '../scripts/kubeadm-scripts.js';
import { hostByName, runScript } from './context.js';
import { defineOp } from './types.js';

export const kubeadmReset = defineOp({
  summary: "kubeadm reset (removes the host's cluster state and, on a control plane, its etcd member)",
  params: null,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }) {
    const host = hostByName(deps, step.host);
    await runScript(await deps.transport(host.name), renderKubeadmReset(), 'kubeadm reset');
  },
  stillDone: ({ host }) => host?.kubelet?.kubeconfig !== true && host?.adminConf !== true,
  model: (world, _params, host) => world.reset(world.host(host)),
});

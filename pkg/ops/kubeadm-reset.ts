// kubeadm.reset: kubeone reset, a removed host, or the leftovers of a failed earlier run.
import { renderKubeadmReset } from '../scripts/kubeadm-scripts.js';
import { hostScriptOp } from './host-script-op.js';

export const kubeadmReset = hostScriptOp({
  summary: "kubeadm reset (removes the host's cluster state and, on a control plane, its etcd member)",
  what: 'kubeadm reset',
  render: () => renderKubeadmReset(),
  stillDone: ({ host }) => host?.kubelet?.kubeconfig !== true && host?.adminConf !== true,
  model: (world, host) => world.reset(world.host(host)),
});

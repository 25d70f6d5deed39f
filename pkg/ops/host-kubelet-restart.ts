// host.kubelet.restart: after an upgrade or a configuration change.
import { renderKubeletRestart } from '../scripts/kubeadm-scripts.js';
import { hostScriptOp } from './host-script-op.js';

export const hostKubeletRestart = hostScriptOp({
  summary: 'restart kubelet',
  what: 'restart kubelet',
  render: () => renderKubeletRestart(),
  // A restart has no lasting mark: the journal is trusted.
  stillDone: () => true,
  model(world, host) {
    const h = world.host(host);
    const node = world.kube?.nodes.find((n) => n.host === h.name);
    if (node) node.kubeletVersion = h.kubelet!.version;
  },
});

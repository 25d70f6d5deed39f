// host.kubelet.restart: after an upgrade or a configuration change.
import { renderKubeletRestart } from '../scripts/kubeadm-scripts.js';
import { hostByName, runScript } from './context.js';
import { defineOp } from './types.js';

export const hostKubeletRestart = defineOp({
  summary: 'restart kubelet',
  params: null,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }) {
    const host = hostByName(deps, step.host);
    await runScript(await deps.transport(host.name), renderKubeletRestart(), 'restart kubelet');
  },
  // A restart has no lasting mark: the journal is trusted.
  stillDone: () => true,
  model(world, _params, host) {
    const h = world.host(host);
    const node = world.kube?.nodes.find((n) => n.host === h.name);
    if (node) node.kubeletVersion = h.kubelet!.version;
  },
});

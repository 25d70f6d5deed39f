// kubeadm.upgrade.apply: the first control plane of a version (the leader) upgrades the cluster.
import { renderUpgradeApply } from '../scripts/kubeadm-scripts.js';
import { runScript, stepHost } from './context.js';
import { VERSION_PARAMS, type VersionParams } from './params.js';
import { defineOp } from './types.js';

export const kubeadmUpgradeApply = defineOp<VersionParams>({
  summary: 'kubeadm upgrade apply on the leader',
  params: VERSION_PARAMS,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }, { version }) {
    const { t } = await stepHost(deps, step.host);
    await runScript(t, renderUpgradeApply(version), 'kubeadm upgrade apply');
  },
  stillDone: ({ host }, { version }) => host?.staticPods?.['kube-apiserver'] === version,
  model(world, { version }, host) {
    const h = world.host(host);
    if (!h.adminConf) return;
    for (const pod of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) h.staticPods![pod] = version;
    // kubeadm upgrade renews the certificates of the control plane it upgrades.
    h.certsEarliestExpiry = world.renewedExpiry;
    world.restarted(h);
  },
});

// kubeadm.config.upload: our ClusterConfiguration (rendered by kubeadm.config.render) stored in
// kube-system/kubeadm-config, before the leader's `kubeadm upgrade apply` to the manifest's
// version: the upgrade then renders every control plane with the new version's flags.
import { renderUploadClusterConfiguration } from '../scripts/kubeadm-scripts.js';
import { homeOf, runScript, stepHost } from './context.js';
import { defineOp } from './types.js';

export const kubeadmConfigUpload = defineOp({
  summary: 'store the rendered ClusterConfiguration in kube-system/kubeadm-config',
  params: null,
  changes: 'cluster',
  marksInflight: false,
  async run({ deps, step }) {
    const { t } = await stepHost(deps, step.host);
    await runScript(t, renderUploadClusterConfiguration(`${await homeOf(t)}/kubeone/cfg/init.yaml`), 'upload the kubeadm ClusterConfiguration');
  },
  // Uploading the same configuration again changes nothing: the journal is trusted.
  stillDone: () => true,
  model(world) {
    if (world.kube) world.kube.clusterConfiguration = structuredClone(world.desired.clusterConfiguration);
  },
});

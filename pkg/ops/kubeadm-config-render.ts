// kubeadm.config.render: the kubeadm configuration files under ~/kubeone/cfg (0600), with the
// desired ClusterConfiguration (the rendered one plus the live flags that are not this tool's).
import { renderKubeadmConfigFiles } from '../kubeadm/render-files.js';
import { ensureRemoteFiles, homeOf, stepHost } from './context.js';
import { defineOp } from './types.js';

export const kubeadmConfigRender = defineOp({
  summary: 'write the kubeadm configuration files (mode 0600)',
  params: null,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }) {
    const { host, t } = await stepHost(deps, step.host);
    const home = await homeOf(t);
    await ensureRemoteFiles(t, Object.entries(renderKubeadmConfigFiles(deps.loaded, host, deps.desired.clusterConfiguration)).map(([rel, content]) => ({ path: `${home}/${rel}`, content, mode: '0600' })));
  },
  // The probe does not read these files: the journal is trusted (the op compares hashes anyway).
  stillDone: () => true,
  model: () => undefined,
});

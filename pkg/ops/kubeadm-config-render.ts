// kubeadm.config.render: the kubeadm configuration files under ~/kubeone/cfg (0600).
import { renderKubeadmConfigFiles } from '../kubeadm/render-files.js';
import { ensureRemoteFile, homeOf, hostByName } from './context.js';
import { defineOp } from './types.js';

export const kubeadmConfigRender = defineOp({
  summary: 'write the kubeadm configuration files (mode 0600)',
  params: null,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }) {
    const host = hostByName(deps, step.host);
    const t = await deps.transport(host.name);
    const home = await homeOf(t);
    for (const [rel, content] of Object.entries(renderKubeadmConfigFiles(deps.loaded, host))) {
      await ensureRemoteFile(t, { path: `${home}/${rel}`, content, mode: '0600' });
    }
  },
  // The probe does not read these files: the journal is trusted (the op compares hashes anyway).
  stillDone: () => true,
  model: () => undefined,
});

// kubeadm.init on the leader of a cluster that does not exist yet. A failure halfway is worth
// another attempt (KubeOne retries too): the script resets this host's kubeadm state first.
import { renderKubeadmInit } from '../scripts/kubeadm-scripts.js';
import { homeOf, runScript, stepHost } from './context.js';
import { retryable } from './kubeadm-retry.js';
import { VERSION_PARAMS, type VersionParams } from './params.js';
import { defineOp } from './types.js';

export const kubeadmInit = defineOp<VersionParams>({
  summary: 'kubeadm init on the leader',
  params: VERSION_PARAMS,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }) {
    const { t } = await stepHost(deps, step.host);
    const script = renderKubeadmInit(`${await homeOf(t)}/kubeone/cfg/init.yaml`);
    await retryable(() => runScript(t, script, 'kubeadm init'));
  },
  stillDone: ({ host }) => host?.adminConf === true,
  model: (world, { version }, host) => world.init(world.host(host), version),
});

// kubeadm.upgrade.node: the other control planes and the workers of a version; with
// `reconfigure`, a control plane re-renders its static pods from the uploaded
// ClusterConfiguration at the same version (flag drift).
import type { JSONSchemaType } from 'ajv';
import { renderReconfigureControlPlane, renderUpgradeNode } from '../scripts/kubeadm-scripts.js';
import { homeOf, runScript, stepHost } from './context.js';
import { VERSION } from './params.js';
import { defineOp } from './types.js';

export interface UpgradeNodeParams {
  version: string;
  /** Same version: re-render the static pods from the new ClusterConfiguration. */
  reconfigure?: boolean;
  /** apply --force-upgrade: run even when the control plane is at the version already. */
  force?: boolean;
}

const PARAMS: JSONSchemaType<UpgradeNodeParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: { version: VERSION, reconfigure: { type: 'boolean', nullable: true }, force: { type: 'boolean', nullable: true } },
};

export const kubeadmUpgradeNode = defineOp<UpgradeNodeParams>({
  summary: 'kubeadm upgrade node (or re-render the control-plane static pods)',
  params: PARAMS,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }, { version, reconfigure, force }) {
    const { host, t } = await stepHost(deps, step.host);
    if (reconfigure && host.role === 'controlPlane') {
      await runScript(t, renderReconfigureControlPlane(`${await homeOf(t)}/kubeone/cfg/init.yaml`), 'reconfigure the control plane');
      return;
    }
    await runScript(t, renderUpgradeNode(version, host.role === 'controlPlane', force === true), 'kubeadm upgrade node');
  },
  // kubeadm upgrade node guards itself (it does nothing at the version): the journal is trusted.
  stillDone: () => true,
  model(world, { version, reconfigure }, host) {
    const h = world.host(host);
    if (reconfigure) {
      if (world.kube) world.kube.clusterConfiguration = structuredClone(world.desired.clusterConfiguration);
      return;
    }
    if (!h.adminConf) return;
    for (const pod of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) h.staticPods![pod] = version;
    h.certsEarliestExpiry = world.renewedExpiry;
  },
});

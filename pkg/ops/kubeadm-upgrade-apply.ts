// kubeadm.upgrade.apply: the first control plane of a version (the leader) upgrades the cluster.
// kubeadm's addon phase writes CoreDNS and kube-proxy again (pkg/addons/kubeadm-objects.ts).
import { rewrittenByKubeadmUpgrade } from '../addons/kubeadm-objects.js';
import { sha256Hex } from '../api/sha256.js';
import { renderUpgradeApply } from '../scripts/kubeadm-scripts.js';
import type { JSONSchemaType } from 'ajv';
import { runScript, stepHost } from './context.js';
import { VERSION } from './params.js';
import { defineOp } from './types.js';

export interface UpgradeApplyParams {
  version: string;
  /** apply --force-upgrade: run even when the control plane is at the version already. */
  force?: boolean;
}

const PARAMS: JSONSchemaType<UpgradeApplyParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: { version: VERSION, force: { type: 'boolean', nullable: true } },
};

export const kubeadmUpgradeApply = defineOp<UpgradeApplyParams>({
  summary: 'kubeadm upgrade apply on the leader',
  params: PARAMS,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }, { version, force }) {
    const { t } = await stepHost(deps, step.host);
    await runScript(t, renderUpgradeApply(version, force === true), 'kubeadm upgrade apply');
  },
  stillDone: ({ host }, { version }) => host?.staticPods?.['kube-apiserver'] === version,
  model(world, { version }, host) {
    const h = world.host(host);
    if (!h.adminConf) return;
    for (const pod of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) h.staticPods![pod] = version;
    // kubeadm upgrade renews the certificates of the control plane it upgrades.
    h.certsEarliestExpiry = world.renewedExpiry;
    world.restarted(h);
    // What addons applied on top of kubeadm's CoreDNS and kube-proxy objects is gone.
    for (const o of world.kube?.addonObjects ?? []) {
      if (rewrittenByKubeadmUpgrade(o)) Object.assign(o, { hash: sha256Hex(`${o.hash} rewritten by kubeadm upgrade apply v${version}`), object: { rewrittenBy: `kubeadm upgrade apply v${version}` } });
    }
  },
});

// Every step op, by the name plans use, to its one definition. The op names and their params
// types are derived from this map, so it is complete by construction: a step the planner
// writes for an op missing here, or with params of the wrong shape, fails `npm run typecheck`.
import { addonApply } from './addon-apply.js';
import { addonPrune } from './addon-prune.js';
import { controlplaneRestart } from './controlplane-restart.js';
import { encryptionConfigRemove } from './encryption-config-remove.js';
import { encryptionConfigWrite } from './encryption-config-write.js';
import { encryptionSecretsRewrite } from './encryption-secrets-rewrite.js';
import { clusterLoadBalancersRemove } from './cluster-load-balancers-remove.js';
import { clusterVolumesRemove } from './cluster-volumes-remove.js';
import { clusterWorkersDestroy } from './cluster-workers-destroy.js';
import { machineDeploymentsCreate } from './machine-deployments-create.js';
import { machineDeploymentsUpgrade } from './machine-deployments-upgrade.js';
import { etcdMemberRemove } from './etcd-member-remove.js';
import { helmReleaseApply } from './helm-release-apply.js';
import { helmReleaseRollback } from './helm-release-rollback.js';
import { helmReleaseUninstall } from './helm-release-uninstall.js';
import { hostBinariesInstall } from './host-binaries-install.js';
import { hostBinariesRemove } from './host-binaries-remove.js';
import { hostContainerdConfigure } from './host-containerd-configure.js';
import { hostContainerdInstall } from './host-containerd-install.js';
import { hostControlPlaneFiles } from './host-controlplane-files.js';
import { hostImagesPrune } from './host-images-prune.js';
import { hostKubeletConfigure } from './host-kubelet-configure.js';
import { hostKubeletRestart } from './host-kubelet-restart.js';
import { hostPrerequisites } from './host-prerequisites.js';
import { kubeadmCertsRenew } from './kubeadm-certs-renew.js';
import { kubeadmConfigRender } from './kubeadm-config-render.js';
import { kubeadmConfigUpload } from './kubeadm-config-upload.js';
import { kubeadmInit } from './kubeadm-init.js';
import { kubeadmJoin } from './kubeadm-join.js';
import { kubeadmReset } from './kubeadm-reset.js';
import { kubeadmUpgradeApply } from './kubeadm-upgrade-apply.js';
import { kubeadmUpgradeNode } from './kubeadm-upgrade-node.js';
import { kubeSystemNodeSelector } from './kube-system-node-selector.js';
import { nodeCordon } from './node-cordon.js';
import { nodeDelete } from './node-delete.js';
import { nodeDrain } from './node-drain.js';
import { nodeMetadata } from './node-metadata.js';
import { nodeUncordon } from './node-uncordon.js';
import { nodeWaitReady } from './node-wait-ready.js';
import { ownershipRecordOp } from './ownership-record.js';
import { pkiDistribute } from './pki-distribute.js';
import type { OpDefinition, ParamsOf } from './types.js';

export const OPS = {
  'host.prerequisites': hostPrerequisites,
  'host.containerd.install': hostContainerdInstall,
  'host.containerd.configure': hostContainerdConfigure,
  'host.binaries.install': hostBinariesInstall,
  'host.binaries.remove': hostBinariesRemove,
  'host.kubelet.configure': hostKubeletConfigure,
  'host.kubelet.restart': hostKubeletRestart,
  'host.controlplane.files': hostControlPlaneFiles,
  'controlplane.restart': controlplaneRestart,
  'encryption.config.write': encryptionConfigWrite,
  'encryption.config.remove': encryptionConfigRemove,
  'encryption.secrets.rewrite': encryptionSecretsRewrite,
  'namespace.nodeSelector': kubeSystemNodeSelector,
  'host.images.prune': hostImagesPrune,
  'kubeadm.config.render': kubeadmConfigRender,
  'kubeadm.config.upload': kubeadmConfigUpload,
  'kubeadm.init': kubeadmInit,
  'kubeadm.join': kubeadmJoin,
  'kubeadm.upgrade.apply': kubeadmUpgradeApply,
  'kubeadm.upgrade.node': kubeadmUpgradeNode,
  'kubeadm.reset': kubeadmReset,
  'kubeadm.certs.renew': kubeadmCertsRenew,
  'pki.distribute': pkiDistribute,
  'node.cordon': nodeCordon,
  'node.drain': nodeDrain,
  'node.uncordon': nodeUncordon,
  'node.delete': nodeDelete,
  'node.metadata': nodeMetadata,
  'node.waitReady': nodeWaitReady,
  'etcd.member.remove': etcdMemberRemove,
  'addon.apply': addonApply,
  'addon.prune': addonPrune,
  'helm.release.apply': helmReleaseApply,
  'helm.release.uninstall': helmReleaseUninstall,
  'helm.release.rollback': helmReleaseRollback,
  'ownership.record': ownershipRecordOp,
  'cluster.loadBalancers.remove': clusterLoadBalancersRemove,
  'cluster.volumes.remove': clusterVolumesRemove,
  'cluster.workers.destroy': clusterWorkersDestroy,
  'cluster.machineDeployments.create': machineDeploymentsCreate,
  'cluster.machineDeployments.upgrade': machineDeploymentsUpgrade,
} as const;

export type StepOp = keyof typeof OPS;

/** The params of each op, as the planner writes them (Step.params); `undefined` for ops without. */
export type StepParamsByOp = { [Op in StepOp]: ParamsOf<(typeof OPS)[Op]> };

export const STEP_OPS = Object.keys(OPS) as StepOp[];

export function isStepOp(op: string): op is StepOp {
  return Object.hasOwn(OPS, op);
}

/** The definition of an op, typed by its params. */
export function opDefinition<Op extends StepOp>(op: Op): OpDefinition<StepParamsByOp[Op]> {
  return OPS[op] as unknown as OpDefinition<StepParamsByOp[Op]>;
}

/** The Node a step concerns (OpDefinition.node), e.g. for the journal. */
export function nodeOfStep(step: { op: StepOp; params?: unknown }): string | undefined {
  const node = (OPS[step.op] as OpDefinition<unknown>).node;
  return node && step.params !== undefined ? node(step.params) : undefined;
}

/** OpDefinition.cordon by op name (journal records carry names). */
export function cordonEffectOf(op: string): 'cordons' | 'uncordons' | undefined {
  return isStepOp(op) ? (OPS[op] as OpDefinition<unknown>).cordon : undefined;
}

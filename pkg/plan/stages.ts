// The planner, top to bottom. Each stage runs in the modes it names (kind.ts: create,
// reconcile, degraded, reset) and sees what the stages above it planned or refused; the
// builder then orders the actions by their dependencies (earlier stages first among the
// actions that are ready together). Adding an action kind is one module and one line here.
import { clusterGate } from './checks/cluster-gate.js';
import { etcdQuorum } from './checks/etcd-quorum.js';
import { notReadyNodes } from './checks/not-ready-nodes.js';
import { runWarnings } from './checks/run-warnings.js';
import { unreachableHosts } from './checks/unreachable-hosts.js';
import type { KindsOf } from './kind.js';
import { applyAddon } from './kinds/apply-addon.js';
import { addEncryptionKey } from './kinds/add-encryption-key.js';
import { configureKubeSystemNodeSelector } from './kinds/configure-kube-system-node-selector.js';
import { disableEncryption } from './kinds/disable-encryption.js';
import { dropEncryptionKey } from './kinds/drop-encryption-key.js';
import { enableEncryption } from './kinds/enable-encryption.js';
import { promoteEncryptionKey } from './kinds/promote-encryption-key.js';
import { removeEncryptionConfig } from './kinds/remove-encryption-config.js';
import { restartControlPlane } from './kinds/restart-control-plane.js';
import { rewriteSecrets } from './kinds/rewrite-secrets.js';
import { updateEncryptionConfig } from './kinds/update-encryption-config.js';
import { configureContainerRuntime } from './kinds/configure-container-runtime.js';
import { configureKubelet } from './kinds/configure-kubelet.js';
import { helmReleases } from './kinds/helm-release.js';
import { initControlPlane } from './kinds/init-control-plane.js';
import { installBinaries } from './kinds/install-binaries.js';
import { installContainerRuntime } from './kinds/install-container-runtime.js';
import { installPrerequisites } from './kinds/install-prerequisites.js';
import { joinControlPlane } from './kinds/join-control-plane.js';
import { joinWorker } from './kinds/join-worker.js';
import { pruneAddon } from './kinds/prune-addon.js';
import { reconfigureControlPlane } from './kinds/reconfigure-control-plane.js';
import { recordOwnership } from './kinds/record-ownership.js';
import { removeCloudResources } from './kinds/remove-cloud-resources.js';
import { destroyWorkers } from './kinds/destroy-workers.js';
import { createMachineDeployments, upgradeMachineDeployments } from './kinds/machine-deployments.js';
import { removeEtcdMember } from './kinds/remove-etcd-member.js';
import { removeNode } from './kinds/remove-node.js';
import { renewCertificates } from './kinds/renew-certificates.js';
import { resetHost } from './kinds/reset-host.js';
import { syncNodeMetadata } from './kinds/sync-node-metadata.js';
import { uncordonRepair } from './kinds/uncordon-repair.js';
import { upgrade } from './kinds/upgrade.js';
import { writeControlPlaneFiles } from './kinds/write-control-plane-files.js';

export const STAGES = [
  runWarnings, // interrupted runs, held locks, API errors
  removeCloudResources, // reset: LoadBalancer Services and volumes first, while the API answers
  destroyWorkers, // reset: MachineDeployments deleted, their Machines and Nodes gone, before the hosts
  resetHost, // reset: workers, then control planes, the leader last
  unreachableHosts, // nothing is planned on a host whose state is unknown
  installPrerequisites,
  installContainerRuntime,
  installBinaries, // for hosts about to init or join; missing tools of joined hosts
  configureContainerRuntime,
  clusterGate, // degraded: no leader or no etcd quorum, cluster changes refused
  initControlPlane, // create: kubeadm init on the leader
  etcdQuorum, // reconcile: refuse each membership change below that would lose quorum
  removeEtcdMember, // old members of control planes that rejoin
  removeNode.deadOrStale, // old Nodes of hosts that rejoin; removed hosts whose member is dead
  upgrade, // one minor at a time: control planes, then workers in batches
  joinControlPlane, // one at a time
  joinWorker,
  removeNode.leaving, // hosts removed from the manifest, after their replacements joined
  configureKubelet,
  writeControlPlaneFiles, // audit policy, admission files, CA bundle: before the flags that name them
  enableEncryption, // encryption phases, each one action, in this order (encryption-phases.ts)
  updateEncryptionConfig,
  addEncryptionKey,
  promoteEncryptionKey,
  disableEncryption,
  rewriteSecrets.beforeFlags,
  dropEncryptionKey,
  reconfigureControlPlane, // control-plane flag drift, leader first
  rewriteSecrets.afterFlags,
  removeEncryptionConfig,
  syncNodeMetadata,
  renewCertificates,
  restartControlPlane, // components whose files changed and that nothing else restarts
  configureKubeSystemNodeSelector,
  notReadyNodes,
  applyAddon,
  pruneAddon,
  helmReleases, // after the addons, in manifest order; uninstalls last
  createMachineDeployments, // first install: after the addons (machine-controller's CRDs); drift shown, never applied
  upgradeMachineDeployments, // --upgrade-machine-deployments: after the upgrades
  uncordonRepair, // Nodes an interrupted run left cordoned
  recordOwnership, // what kubeone applied, in the cluster: the next plans prune and strip only that
] as const;

/** Every kind of action the planner can emit. */
export type ActionKind = KindsOf<(typeof STAGES)[number]>;

/** The kinds in stage order (the plan schema's enum). */
export const ACTION_KINDS: readonly ActionKind[] = [...new Set(STAGES.flatMap((s) => Object.keys(s.kinds) as ActionKind[]))];

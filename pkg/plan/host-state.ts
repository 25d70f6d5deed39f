// What the planner needs to know about one desired host, derived once from the snapshot.
import type { HostConfig, HostRole, ResolvedHost } from '../api/types.js';
import type { EtcdMemberFacts, HostFacts, NodeFacts } from '../snapshot/types.js';

export interface HostView extends ResolvedHost {
  name: string;
  role: HostRole;
  config: HostConfig;
  /** Probe facts; undefined when the snapshot has no entry for the host (treated as unreachable). */
  facts: HostFacts | undefined;
  reachable: boolean;
  /** Kernel modules, sysctls, persistent swap-off in place and swap off now. */
  prerequisitesOk: boolean;
  containerdInstalled: boolean;
  /** kubelet.conf exists: the host joined (or initialized) a cluster at some point. */
  joined: boolean;
  /** admin.conf and a kube-apiserver static pod: an initialized control plane. */
  cpInitialized: boolean;
  node: NodeFacts | undefined;
  etcdMember: EtcdMemberFacts | undefined;
  /** The kubelet version of the Node when known, else the installed kubelet's; '' when none. */
  version: string;
  /** Versions of the installed binaries ('' when absent). */
  binaries: { kubeadm: string; kubelet: string; kubectl: string };
  /** Control plane whose Node is NotReady (or gone) and whose etcd member is unhealthy. */
  dead: boolean;
}

export function deriveHostView(
  host: ResolvedHost,
  facts: HostFacts | undefined,
  node: NodeFacts | undefined,
  etcdMember: EtcdMemberFacts | undefined,
): HostView {
  const reachable = facts?.reachable === true;
  const pre = facts?.prerequisites;
  const prerequisitesOk =
    !reachable || (pre !== undefined && pre.modules && pre.sysctls && pre.swapDisabledPersistently && facts?.swapOn !== true);
  const containerdInstalled = facts?.containerd?.unit.installed === true && facts.containerd.version !== '';
  const joined = facts?.kubelet?.kubeconfig === true;
  const cpInitialized = facts?.adminConf === true && Boolean(facts.staticPods?.['kube-apiserver']);
  const binaries = {
    kubeadm: stripV(facts?.kubeadm?.version ?? ''),
    kubelet: stripV(facts?.kubelet?.version ?? ''),
    kubectl: stripV(facts?.kubectl?.version ?? ''),
  };
  const version = node?.kubeletVersion || (facts?.kubelet?.version ?? '');
  // The etcd member is what matters for quorum: a NotReady Node alone is not a dead member.
  const dead = etcdMember !== undefined && etcdMember.healthy === false && (node === undefined || !node.ready);
  return {
    id: host.id,
    name: host.name,
    role: host.role,
    config: host.config,
    facts,
    reachable,
    prerequisitesOk,
    containerdInstalled,
    joined,
    cpInitialized,
    node,
    etcdMember,
    version: stripV(version),
    binaries,
    dead,
  };
}

export function stripV(version: string): string {
  return version.startsWith('v') ? version.slice(1) : version;
}

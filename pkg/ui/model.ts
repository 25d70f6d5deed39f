// The dashboard's view model, built from what the API lists (pure: lists and a clock in, rows
// out). Nodes are split into control planes and workers, each control plane with the health
// of its apiserver and etcd; MachineDeployments carry the Machines of their MachineSets
// (followed by ownerReferences UIDs, as the machine-controller sets them).
import type { V1Node, V1Pod } from '@kubernetes/client-node';

export type Health = 'healthy' | 'unhealthy' | 'unknown';

/** What the health checks found for one control-plane host of the manifest. */
export interface ControlPlaneHealth {
  /** The manifest host's name, its hostname and addresses: what a Node is matched by. */
  names: string[];
  addresses: string[];
  /** null: not checked or no answer either way. */
  apiserver: boolean | null;
  etcd: boolean | null;
}

export interface NodeRow {
  name: string;
  /** Ready, NotReady or Unknown (the Ready condition), "SchedulingDisabled" appended when cordoned. */
  status: string;
  /** Since the Ready condition's last heartbeat. */
  heartbeat: string;
  version: string;
  apiserver: Health;
  etcd: Health;
}

export interface MachineRow {
  namespace: string;
  name: string;
  node: string;
  kubelet: string;
  address: string;
  age: string;
  deleting: boolean;
}

export interface MachineDeploymentRow {
  namespace: string;
  name: string;
  replicas: number;
  available: number;
  kubelet: string;
  age: string;
  machines: MachineRow[];
}

export interface Overview {
  controlPlanes: NodeRow[];
  workers: NodeRow[];
  /** false when the cluster does not serve cluster.k8s.io/v1alpha1 (no machine-controller). */
  machineApi: boolean;
  machineDeployments: MachineDeploymentRow[];
}

export interface PodRow {
  namespace: string;
  name: string;
  phase: string;
  ready: string;
  restarts: number;
  age: string;
}

/** A cluster.k8s.io object as listed (only the fields read here). */
export interface MachineObject {
  metadata?: { name?: string; namespace?: string; uid?: string; creationTimestamp?: string | Date; deletionTimestamp?: string | Date; ownerReferences?: { uid?: string }[] };
  spec?: { replicas?: number; versions?: { kubelet?: string }; template?: { spec?: { versions?: { kubelet?: string } } } };
  status?: { availableReplicas?: number; nodeRef?: { name?: string }; addresses?: { type?: string; address?: string }[] };
}

export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/** kubectl's short ages: 45s, 12m, 5h, 3d. */
export function formatAge(from: string | Date | undefined, now: Date): string {
  if (from === undefined) return '-';
  const ms = now.getTime() - new Date(from).getTime();
  if (!Number.isFinite(ms)) return '-';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

const health = (v: boolean | null | undefined): Health => (v === true ? 'healthy' : v === false ? 'unhealthy' : 'unknown');

function healthOf(node: V1Node, checks: ControlPlaneHealth[]): ControlPlaneHealth | undefined {
  const name = (node.metadata?.name ?? '').toLowerCase();
  const ips = (node.status?.addresses ?? []).filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP').map((a) => a.address);
  return checks.find((c) => c.names.some((n) => n.toLowerCase() === name)) ?? checks.find((c) => c.addresses.some((a) => ips.includes(a)));
}

export function nodeRow(node: V1Node, checks: ControlPlaneHealth[], now: Date): NodeRow {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const status = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
  const check = healthOf(node, checks);
  return {
    name: node.metadata?.name ?? '',
    status: node.spec?.unschedulable ? `${status},SchedulingDisabled` : status,
    heartbeat: formatAge(ready?.lastHeartbeatTime, now),
    version: node.status?.nodeInfo?.kubeletVersion ?? '',
    apiserver: health(check?.apiserver),
    etcd: health(check?.etcd),
  };
}

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function machineRow(m: MachineObject, now: Date): MachineRow {
  return {
    namespace: m.metadata?.namespace ?? '',
    name: m.metadata?.name ?? '',
    node: m.status?.nodeRef?.name ?? '',
    kubelet: m.spec?.versions?.kubelet ?? '',
    address: m.status?.addresses?.find((a) => a.type === 'ExternalIP')?.address ?? '',
    age: formatAge(m.metadata?.creationTimestamp, now),
    deleting: m.metadata?.deletionTimestamp !== undefined && m.metadata.deletionTimestamp !== null,
  };
}

const ownedBy = (o: MachineObject, uids: Set<string>): boolean => (o.metadata?.ownerReferences ?? []).some((r) => r.uid !== undefined && uids.has(r.uid));

export function machineDeploymentRow(md: MachineObject, machineSets: MachineObject[], machines: MachineObject[], now: Date): MachineDeploymentRow {
  const setUids = new Set(machineSets.filter((s) => md.metadata?.uid !== undefined && ownedBy(s, new Set([md.metadata.uid]))).map((s) => s.metadata?.uid ?? ''));
  return {
    namespace: md.metadata?.namespace ?? '',
    name: md.metadata?.name ?? '',
    replicas: md.spec?.replicas ?? 0,
    available: md.status?.availableReplicas ?? 0,
    kubelet: md.spec?.template?.spec?.versions?.kubelet ?? '',
    age: formatAge(md.metadata?.creationTimestamp, now),
    machines: machines.filter((m) => ownedBy(m, setUids)).map((m) => machineRow(m, now)).sort(byName),
  };
}

export interface OverviewInput {
  nodes: V1Node[];
  health: ControlPlaneHealth[];
  /** null when the cluster.k8s.io API is not served. */
  machines: { machineDeployments: MachineObject[]; machineSets: MachineObject[]; machines: MachineObject[] } | null;
  now: Date;
}

export function buildOverview(input: OverviewInput): Overview {
  const rows = input.nodes.map((n) => ({ row: nodeRow(n, input.health, input.now), cp: n.metadata?.labels?.[CONTROL_PLANE_LABEL] !== undefined }));
  const m = input.machines;
  return {
    controlPlanes: rows.filter((r) => r.cp).map((r) => r.row).sort(byName),
    // A worker's control-plane checks would say nothing: its columns stay empty.
    workers: rows.filter((r) => !r.cp).map((r) => ({ ...r.row, apiserver: 'unknown' as const, etcd: 'unknown' as const })).sort(byName),
    machineApi: m !== null,
    machineDeployments: m ? m.machineDeployments.map((md) => machineDeploymentRow(md, m.machineSets, m.machines, input.now)).sort(byName) : [],
  };
}

export function podRow(pod: V1Pod, now: Date): PodRow {
  const statuses = pod.status?.containerStatuses ?? [];
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    phase: pod.metadata?.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Unknown'),
    ready: `${statuses.filter((s) => s.ready).length}/${pod.spec?.containers?.length ?? 0}`,
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    age: formatAge(pod.metadata?.creationTimestamp, now),
  };
}

export function podRows(pods: V1Pod[], now: Date): PodRow[] {
  return pods.map((p) => podRow(p, now)).sort((a, b) => (a.namespace === b.namespace ? byName(a, b) : a.namespace < b.namespace ? -1 : 1));
}

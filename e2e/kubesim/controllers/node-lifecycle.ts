// nodelifecycle and nodeipam: a Node whose Lease was not renewed within the
// grace period gets Unknown conditions and the unreachable taints; pod CIDRs
// are handed out from --cluster-cidr when --allocate-node-cidrs is on.
import type { KubeClient, KubeObject } from '../common/kube-client.js';

const GRACE_MS = 40_000;
const UNREACHABLE = [
  { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
];

export async function markUnreachableNodes(client: KubeClient, log: (l: string) => void, now = Date.now()): Promise<void> {
  const nodes = (await client.list('/api/v1/nodes')).items ?? [];
  const leases = (await client.list('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases')).items ?? [];
  const renewed = new Map<string, number>(leases.map((l: KubeObject) => [l.metadata.name, Date.parse(l.spec?.renewTime ?? '') || 0]));
  for (const node of nodes as KubeObject[]) {
    const name = node.metadata.name as string;
    const last = Math.max(renewed.get(name) ?? 0, Date.parse(node.status?.conditions?.find((c: KubeObject) => c.type === 'Ready')?.lastHeartbeatTime ?? '') || 0);
    const ready = node.status?.conditions?.find((c: KubeObject) => c.type === 'Ready');
    const taints: KubeObject[] = node.spec?.taints ?? [];
    const hasUnreachable = taints.some((t) => t.key === 'node.kubernetes.io/unreachable');
    if (last && now - last > GRACE_MS && ready && ready.status !== 'Unknown') {
      const stamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
      node.status.conditions = node.status.conditions.map((c: KubeObject) => ({
        ...c,
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastTransitionTime: stamp,
      }));
      await client.update(`/api/v1/nodes/${name}/status`, node);
      const fresh = (await client.get(`/api/v1/nodes/${name}`))!;
      const current: KubeObject[] = fresh.spec?.taints ?? [];
      const add = UNREACHABLE.filter((u) => !current.some((t) => t.key === u.key && t.effect === u.effect)).map((u) => ({ ...u, timeAdded: stamp }));
      await client.patch(`/api/v1/nodes/${name}`, { spec: { taints: [...current, ...add] } });
      log(`node ${name} is unreachable: lease not renewed for ${Math.round((now - last) / 1000)}s`);
    } else if (ready?.status === 'True' && hasUnreachable) {
      await client.patch(`/api/v1/nodes/${name}`, { spec: { taints: taints.filter((t) => t.key !== 'node.kubernetes.io/unreachable') } });
      log(`node ${name} is reachable again`);
    }
  }
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export async function allocatePodCidrs(client: KubeClient, clusterCidr: string, maskSize: number, log: (l: string) => void): Promise<void> {
  const cidr = clusterCidr.split(',').find((c) => c.includes('.'));
  if (!cidr) return;
  const [base, bits] = cidr.split('/');
  const start = ipToInt(base!);
  const count = 2 ** (maskSize - Number(bits));
  const size = 2 ** (32 - maskSize);
  const nodes = (await client.list('/api/v1/nodes')).items ?? [];
  const used = new Set(nodes.map((n: KubeObject) => n.spec?.podCIDR).filter(Boolean));
  for (const node of nodes as KubeObject[]) {
    if (node.spec?.podCIDR) continue;
    for (let i = 0; i < count; i++) {
      const candidate = `${intToIp(start + i * size)}/${maskSize}`;
      if (used.has(candidate)) continue;
      used.add(candidate);
      await client.patch(`/api/v1/nodes/${node.metadata.name}`, { spec: { podCIDR: candidate, podCIDRs: [candidate] } });
      log(`assigned podCIDR ${candidate} to ${node.metadata.name}`);
      break;
    }
  }
}

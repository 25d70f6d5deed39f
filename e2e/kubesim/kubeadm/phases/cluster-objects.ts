// Objects kubeadm creates through the API: upload-config, mark-control-plane,
// bootstrap-token (token Secrets, RBAC, cluster-info).
import { stringify } from 'yaml';
import { poll, type KubeClient, type KubeObject } from '../../common/kube-client.js';
import { renderKubeconfig } from '../../common/kubeconfig.js';
import { formatDuration } from '../../common/duration.js';
import { DEFAULT_TOKEN_GROUP } from '../config/defaults.js';
import { renderClusterConfiguration } from '../config/serialize.js';
import type { BootstrapTokenSpec, ClusterConfig, Taint } from '../config/types.js';
import { out } from '../output.js';

const NS = '/api/v1/namespaces';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';

function role(ns: string, name: string, rules: KubeObject[]): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules };
}

function roleBinding(ns: string, name: string, roleName: string, subjects: KubeObject[]): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName }, subjects };
}

function clusterRoleBinding(name: string, clusterRole: string, subjects: KubeObject[]): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole }, subjects };
}

const group = (name: string): KubeObject => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name });

export async function ensureClusterAdminsBinding(client: KubeClient): Promise<void> {
  await client.createIfMissing(`${RBAC}/clusterrolebindings`, clusterRoleBinding('kubeadm:cluster-admins', 'cluster-admin', [group('kubeadm:cluster-admins')]));
}

export async function uploadKubeadmConfig(client: KubeClient, cfg: ClusterConfig): Promise<void> {
  out('[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" Namespace');
  await client.createOrUpdate(`${NS}/kube-system/configmaps`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kubeadm-config', namespace: 'kube-system' },
    data: { ClusterConfiguration: renderClusterConfiguration(cfg) },
  });
  await client.createOrUpdate(`${RBAC}/namespaces/kube-system/roles`, role('kube-system', 'kubeadm:nodes-kubeadm-config', [{ apiGroups: [''], resourceNames: ['kubeadm-config'], resources: ['configmaps'], verbs: ['get'] }]));
  await client.createOrUpdate(`${RBAC}/namespaces/kube-system/rolebindings`, roleBinding('kube-system', 'kubeadm:nodes-kubeadm-config', 'kubeadm:nodes-kubeadm-config', [group(DEFAULT_TOKEN_GROUP), group('system:nodes')]));
}

export async function uploadKubeletConfig(client: KubeClient, kubeletConfig: Record<string, unknown>): Promise<void> {
  out('[kubelet] Creating a ConfigMap "kubelet-config" in namespace kube-system with the configuration for the kubelets in the cluster');
  await client.createOrUpdate(`${NS}/kube-system/configmaps`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kubelet-config', namespace: 'kube-system' },
    data: { kubelet: stringify(kubeletConfig) },
  });
  await client.createOrUpdate(`${RBAC}/namespaces/kube-system/roles`, role('kube-system', 'kubeadm:kubelet-config', [{ apiGroups: [''], resourceNames: ['kubelet-config'], resources: ['configmaps'], verbs: ['get'] }]));
  await client.createOrUpdate(`${RBAC}/namespaces/kube-system/rolebindings`, roleBinding('kube-system', 'kubeadm:kubelet-config', 'kubeadm:kubelet-config', [group('system:nodes'), group(DEFAULT_TOKEN_GROUP)]));
}

export async function markControlPlane(client: KubeClient, nodeName: string, taints: Taint[]): Promise<void> {
  out(`[mark-control-plane] Marking the node ${nodeName} as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]`);
  if (taints.length) out(`[mark-control-plane] Marking the node ${nodeName} as control-plane by adding the taints [${taints.map((t) => `${t.key}:${t.effect}`).join(' ')}]`);
  const node = await poll(`the Node "${nodeName}"`, 4 * 60_000, 1000, () => client.get(`/api/v1/nodes/${nodeName}`));
  const current: Taint[] = node.spec?.taints ?? [];
  const merged = [...current, ...taints.filter((t) => !current.some((c) => c.key === t.key && c.effect === t.effect))];
  await client.patch(`/api/v1/nodes/${nodeName}`, {
    metadata: { labels: { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } },
    spec: { taints: merged },
  });
}

export function tokenSecret(t: BootstrapTokenSpec, now = new Date()): KubeObject {
  const [id, secret] = t.token.split('.') as [string, string];
  const data: Record<string, string> = { 'token-id': id, 'token-secret': secret };
  if (t.description) data.description = t.description;
  const expires = t.expires ?? (t.ttlMs ? new Date(now.getTime() + t.ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined);
  if (expires) data.expiration = expires;
  for (const u of t.usages) data[`usage-bootstrap-${u}`] = 'true';
  if (t.groups.length) data['auth-extra-groups'] = t.groups.join(',');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'bootstrap.kubernetes.io/token',
    metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

export async function createBootstrapTokens(client: KubeClient, tokens: BootstrapTokenSpec[]): Promise<void> {
  for (const t of tokens) {
    const secret = tokenSecret(t);
    const existing = await client.get(`${NS}/kube-system/secrets/${secret.metadata.name}`);
    if (existing) await client.update(`${NS}/kube-system/secrets/${secret.metadata.name}`, { ...secret, metadata: { ...secret.metadata, resourceVersion: existing.metadata.resourceVersion } });
    else await client.create(`${NS}/kube-system/secrets`, secret);
  }
}

export async function bootstrapTokenPhase(client: KubeClient, cfg: ClusterConfig, tokens: BootstrapTokenSpec[], server: string, caPem: string): Promise<void> {
  out(`[bootstrap-token] Using token: ${tokens[0]?.token ?? ''}`);
  out('[bootstrap-token] Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles');
  await createBootstrapTokens(client, tokens);
  await client.createOrUpdate(`${RBAC}/clusterroles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'kubeadm:get-nodes' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }] });
  await client.createOrUpdate(`${RBAC}/clusterrolebindings`, clusterRoleBinding('kubeadm:get-nodes', 'kubeadm:get-nodes', [group(DEFAULT_TOKEN_GROUP)]));
  out('[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes');
  await client.createOrUpdate(`${RBAC}/clusterrolebindings`, clusterRoleBinding('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', [group(DEFAULT_TOKEN_GROUP)]));
  out('[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to get long term certificate credentials');
  await client.createOrUpdate(`${RBAC}/clusterrolebindings`, clusterRoleBinding('kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', [group(DEFAULT_TOKEN_GROUP)]));
  out('[bootstrap-token] Configured RBAC rules to allow the csrapprover controller automatically approve CSRs from a Node Bootstrap Token');
  await client.createOrUpdate(`${RBAC}/clusterrolebindings`, clusterRoleBinding('kubeadm:node-autoapprove-certificate-rotation', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [group('system:nodes')]));
  out('[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node client certificates in the cluster');
  out('[bootstrap-token] Creating the "cluster-info" ConfigMap in the "kube-public" namespace');
  const kubeconfig = renderKubeconfig({ clusterName: '', server, caPem, user: '' })
    .replace(/contexts:[\s\S]*$/, 'contexts: null\ncurrent-context: ""\nkind: Config\npreferences: {}\nusers: null\n');
  const existing = await client.get(`${NS}/kube-public/configmaps/cluster-info`);
  const data = { ...(existing?.data ?? {}), kubeconfig };
  await client.createOrUpdate(`${NS}/kube-public/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'kube-public' }, data });
  await client.createOrUpdate(`${RBAC}/namespaces/kube-public/roles`, role('kube-public', 'kubeadm:bootstrap-signer-clusterinfo', [{ apiGroups: [''], resourceNames: ['cluster-info'], resources: ['configmaps'], verbs: ['get'] }]));
  await client.createOrUpdate(`${RBAC}/namespaces/kube-public/rolebindings`, roleBinding('kube-public', 'kubeadm:bootstrap-signer-clusterinfo', 'kubeadm:bootstrap-signer-clusterinfo', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:anonymous' }]));
  void cfg;
}

export function describeTtl(t: BootstrapTokenSpec): string {
  return t.ttlMs ? formatDuration(t.ttlMs) : '<forever>';
}

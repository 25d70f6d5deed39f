// The csrapproving and csrsigning controllers of kube-controller-manager for
// kubelet certificates: node-client CSRs are approved when RBAC grants the
// requester the nodeclient / selfnodeclient "create" (what kubeadm's
// node-autoapprove bindings do); approved CSRs of the kubernetes.io signers
// are signed with --cluster-signing-cert/key-file.
import type { KubeClient, KubeObject } from '../common/kube-client.js';
import type { LoadedCa } from '../pki/kubeadm-pki.js';
import { signLeaf } from '../pki/kubeadm-pki.js';
import { parseCsr } from '../pki/x509.js';

const NODE_CLIENT_ROLE = 'system:certificates.k8s.io:certificatesigningrequests:nodeclient';
const SELF_NODE_CLIENT_ROLE = 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient';
const SIGNERS = new Set([
  'kubernetes.io/kube-apiserver-client-kubelet',
  'kubernetes.io/kubelet-serving',
  'kubernetes.io/kube-apiserver-client',
  'kubernetes.io/legacy-unknown',
]);

function hasCondition(csr: KubeObject, type: string): boolean {
  return (csr.status?.conditions ?? []).some((c: KubeObject) => c.type === type && c.status !== 'False');
}

/** Does any ClusterRoleBinding bind clusterRole to this user or one of its groups? */
function boundTo(bindings: KubeObject[], clusterRole: string, user: string, groups: string[]): boolean {
  return bindings.some(
    (b) =>
      b.roleRef?.kind === 'ClusterRole' &&
      b.roleRef?.name === clusterRole &&
      (b.subjects ?? []).some((s: KubeObject) => (s.kind === 'User' && s.name === user) || (s.kind === 'Group' && (groups.includes(s.name) || s.name === 'system:authenticated'))),
  );
}

function isNodeClientRequest(csr: KubeObject, cn: string, orgs: string[]): boolean {
  const allowed = new Set(['digital signature', 'key encipherment', 'client auth']);
  return (
    csr.spec.signerName === 'kubernetes.io/kube-apiserver-client-kubelet' &&
    cn.startsWith('system:node:') &&
    orgs.length === 1 &&
    orgs[0] === 'system:nodes' &&
    (csr.spec.usages ?? []).every((u: string) => allowed.has(u)) &&
    (csr.spec.usages ?? []).includes('client auth')
  );
}

export async function approveNodeClientCsrs(client: KubeClient, log: (l: string) => void): Promise<void> {
  const csrs = (await client.list('/apis/certificates.k8s.io/v1/certificatesigningrequests')).items ?? [];
  const pending = csrs.filter((c: KubeObject) => !hasCondition(c, 'Approved') && !hasCondition(c, 'Denied') && !hasCondition(c, 'Failed'));
  if (!pending.length) return;
  const bindings = (await client.list('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings')).items ?? [];
  for (const csr of pending) {
    let parsed;
    try {
      parsed = parseCsr(Buffer.from(csr.spec.request, 'base64').toString('utf8'));
    } catch {
      continue;
    }
    if (!isNodeClientRequest(csr, parsed.commonName, parsed.organizations)) continue;
    const user = csr.spec.username ?? '';
    const groups: string[] = csr.spec.groups ?? [];
    const selfRenewal = user === parsed.commonName;
    const role = selfRenewal ? SELF_NODE_CLIENT_ROLE : NODE_CLIENT_ROLE;
    if (!boundTo(bindings, role, user, groups)) continue;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    csr.status = {
      ...(csr.status ?? {}),
      conditions: [
        ...(csr.status?.conditions ?? []),
        {
          type: 'Approved',
          status: 'True',
          reason: 'AutoApproved',
          message: selfRenewal ? 'Auto approving self kubelet client certificate after SubjectAccessReview.' : 'Auto approving kubelet client certificate after SubjectAccessReview.',
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
      ],
    };
    await client.update(`/apis/certificates.k8s.io/v1/certificatesigningrequests/${csr.metadata.name}/approval`, csr);
    log(`approved CSR ${csr.metadata.name} for ${parsed.commonName}`);
  }
}

export async function signApprovedCsrs(client: KubeClient, ca: LoadedCa, durationMs: number, log: (l: string) => void): Promise<void> {
  const csrs = (await client.list('/apis/certificates.k8s.io/v1/certificatesigningrequests')).items ?? [];
  for (const csr of csrs) {
    if (!hasCondition(csr, 'Approved') || hasCondition(csr, 'Failed') || csr.status?.certificate) continue;
    if (!SIGNERS.has(csr.spec.signerName)) continue;
    let parsed;
    try {
      parsed = parseCsr(Buffer.from(csr.spec.request, 'base64').toString('utf8'));
    } catch (err) {
      log(`CSR ${csr.metadata.name}: ${(err as Error).message}`);
      continue;
    }
    const usages: string[] = csr.spec.usages ?? [];
    const eku: Array<'server' | 'client'> = [];
    if (usages.includes('server auth')) eku.push('server');
    if (usages.includes('client auth')) eku.push('client');
    const requested = csr.spec.expirationSeconds ? csr.spec.expirationSeconds * 1000 : durationMs;
    const pem = signLeaf(ca, { commonName: parsed.commonName, organizations: parsed.organizations }, parsed.publicKey, {
      usages: eku,
      dnsNames: parsed.dnsNames,
      ips: parsed.ips,
      validityMs: Math.min(requested, durationMs),
      now: new Date(),
    });
    await client.update(`/apis/certificates.k8s.io/v1/certificatesigningrequests/${csr.metadata.name}/status`, {
      ...csr,
      status: { ...(csr.status ?? {}), certificate: Buffer.from(pem).toString('base64') },
    });
    log(`signed CSR ${csr.metadata.name} (${csr.spec.signerName}) for ${parsed.commonName}`);
  }
}

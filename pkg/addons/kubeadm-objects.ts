// Objects kubeadm's addon phase writes again on every `kubeadm upgrade apply` (CoreDNS and
// kube-proxy, upstream cmd/kubeadm/app/phases/addons/{dns,proxy}): whatever an addon applied
// on top of them (coredns-patch's tolerations and affinity) is gone after the upgrade, so the
// planner applies those addons again after the last control-plane upgrade of the run.
import { objectKey } from './normalize.js';

const KUBEADM_ADDON_OBJECTS: readonly { apiVersion: string; kind: string; namespace: string; name: string }[] = [
  // CoreDNS
  { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system', name: 'coredns' },
  { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'coredns' },
  { apiVersion: 'v1', kind: 'Service', namespace: 'kube-system', name: 'kube-dns' },
  { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'kube-system', name: 'coredns' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespace: '', name: 'system:coredns' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', namespace: '', name: 'system:coredns' },
  // kube-proxy
  { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-proxy' },
  { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'kube-proxy' },
  { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'kube-system', name: 'kube-proxy' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', namespace: '', name: 'kubeadm:node-proxier' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', namespace: 'kube-system', name: 'kube-proxy' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespace: 'kube-system', name: 'kube-proxy' },
];

const KEYS = new Set(KUBEADM_ADDON_OBJECTS.map(objectKey));

/** kubeadm upgrade apply writes this object again (whatever an addon set on it is lost). */
export function rewrittenByKubeadmUpgrade(o: { apiVersion: string; kind: string; namespace: string; name: string }): boolean {
  return KEYS.has(objectKey(o));
}

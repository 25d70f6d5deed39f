// Objects kubeadm's addon phase writes again on every `kubeadm upgrade apply` (CoreDNS and
// kube-proxy, upstream cmd/kubeadm/app/phases/addons/{dns,proxy}): whatever an addon applied
// on top of them (coredns-patch's tolerations and affinity) is gone after the upgrade, so the
// planner applies those addons again after the last control-plane upgrade of the run.
import { objectKey } from './normalize.js';

const RBAC = 'rbac.authorization.k8s.io';

/** objectKey()s: group/Kind/namespace/name. */
const KEYS: ReadonlySet<string> = new Set([
  // CoreDNS
  'apps/Deployment/kube-system/coredns',
  '/ConfigMap/kube-system/coredns',
  '/Service/kube-system/kube-dns',
  '/ServiceAccount/kube-system/coredns',
  `${RBAC}/ClusterRole//system:coredns`,
  `${RBAC}/ClusterRoleBinding//system:coredns`,
  // kube-proxy
  'apps/DaemonSet/kube-system/kube-proxy',
  '/ConfigMap/kube-system/kube-proxy',
  '/ServiceAccount/kube-system/kube-proxy',
  `${RBAC}/ClusterRoleBinding//kubeadm:node-proxier`,
  `${RBAC}/Role/kube-system/kube-proxy`,
  `${RBAC}/RoleBinding/kube-system/kube-proxy`,
]);

/** kubeadm upgrade apply writes this object again (whatever an addon set on it is lost). */
export function rewrittenByKubeadmUpgrade(o: { apiVersion: string; kind: string; namespace: string; name: string }): boolean {
  return KEYS.has(objectKey(o));
}

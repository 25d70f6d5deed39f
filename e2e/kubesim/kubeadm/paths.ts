// Where kubeadm keeps things on a node. KUBESIM_ROOT re-roots every path (unit tests).
import * as path from 'node:path';

const root = (): string => process.env.KUBESIM_ROOT ?? '/';
export const p = (abs: string): string => path.join(root(), abs);

export const KUBERNETES_DIR = '/etc/kubernetes';
export const PATHS = {
  manifests: '/etc/kubernetes/manifests',
  admin: '/etc/kubernetes/admin.conf',
  superAdmin: '/etc/kubernetes/super-admin.conf',
  kubelet: '/etc/kubernetes/kubelet.conf',
  bootstrapKubelet: '/etc/kubernetes/bootstrap-kubelet.conf',
  controllerManager: '/etc/kubernetes/controller-manager.conf',
  scheduler: '/etc/kubernetes/scheduler.conf',
  kubeletDir: '/var/lib/kubelet',
  kubeletConfig: '/var/lib/kubelet/config.yaml',
  kubeletFlags: '/var/lib/kubelet/kubeadm-flags.env',
  kubeletClientCurrent: '/var/lib/kubelet/pki/kubelet-client-current.pem',
  tmp: '/etc/kubernetes/tmp',
} as const;

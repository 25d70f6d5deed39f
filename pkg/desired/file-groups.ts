// Which step op owns a rendered host file: host.containerd.configure writes the containerd
// group, host.kubelet.configure the kubelet group, host.controlplane.files the control-plane
// group (audit policy, admission configuration, CA bundle). One rule, used by the renderers' grouping
// (host-files.ts), the planner's drift checks, the executor and the resume checks.
import { CONTROL_PLANE_FILE_PATHS } from '../kubeadm/control-plane-files.js';
import { CRICTL_CONFIG_PATH } from '../scripts/containerd-config.js';
import { PROXY_ENV_PATH } from '../scripts/proxy.js';

export type FileGroup = 'containerd' | 'kubelet' | 'control-plane';

export function fileGroupOf(path: string): FileGroup | null {
  // The proxy environment file is written with containerd's files (kubelet's drop-in reads it too).
  if (path.startsWith('/etc/containerd/') || path === CRICTL_CONFIG_PATH || path === PROXY_ENV_PATH || path.startsWith('/etc/systemd/system/containerd.service.d/')) {
    return 'containerd';
  }
  if (path.startsWith('/var/lib/kubelet/') || path === '/etc/systemd/system/kubelet.service' || path.startsWith('/etc/systemd/system/kubelet.service.d/')) {
    return 'kubelet';
  }
  if ((CONTROL_PLANE_FILE_PATHS as readonly string[]).includes(path)) return 'control-plane';
  return null;
}

export const inGroup =
  (group: FileGroup) =>
  (path: string): boolean =>
    fileGroupOf(path) === group;

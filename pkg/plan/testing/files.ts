// Hashes and the standard set of managed files shared by the test builders.

import { sha256Hex as sha256 } from '../../api/sha256.js';

export { sha256 };

export const CONTAINERD_CONFIG = '/etc/containerd/config.toml';
export const KUBELET_CONFIG = '/var/lib/kubelet/config.yaml';
export const KUBELET_FLAGS = '/var/lib/kubelet/kubeadm-flags.env';

/** The files the tool renders onto every host, with a content hash that depends on `variant`. */
export function standardFiles(host: string, variant = 'v1'): Record<string, string> {
  return {
    [CONTAINERD_CONFIG]: sha256(`containerd ${variant}`),
    [KUBELET_CONFIG]: sha256(`kubelet config ${variant}`),
    [KUBELET_FLAGS]: sha256(`kubelet flags ${host} ${variant}`),
  };
}

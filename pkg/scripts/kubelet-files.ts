// host.kubelet.configure: /var/lib/kubelet/kubeadm-flags.env. (config.yaml is the
// KubeletConfiguration rendered by pkg/kubeadm.) The tool owns both after the join.
import type { ResolvedHost } from '../api/types.js';
import { CONTAINERD_SOCKET } from './containerd-config.js';

export const KUBELET_FLAGS_PATH = '/var/lib/kubelet/kubeadm-flags.env';
export const KUBELET_CONFIG_PATH = '/var/lib/kubelet/config.yaml';

/** The node name kubeadm registers: the manifest hostname, else the host's resolved name. */
export function nodeNameOf(host: ResolvedHost): string {
  return host.config.hostname || host.name;
}

export function renderKubeletFlags(host: ResolvedHost): string {
  const flags = [`--container-runtime-endpoint=${CONTAINERD_SOCKET}`, `--hostname-override=${nodeNameOf(host)}`];
  const nodeIps = [host.config.privateAddress || host.config.publicAddress, ...(host.config.ipv6Addresses ?? []).slice(0, 1)]
    .filter((ip): ip is string => Boolean(ip));
  if (nodeIps.length > 0) flags.push(`--node-ip=${nodeIps.join(',')}`);
  return `KUBELET_KUBEADM_ARGS="${flags.join(' ')}"\n`;
}

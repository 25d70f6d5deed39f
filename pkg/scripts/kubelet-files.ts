// host.kubelet.configure: /var/lib/kubelet/kubeadm-flags.env. (config.yaml is the
// KubeletConfiguration rendered by pkg/kubeadm.) The tool owns both after the join.
import type { ProxyConfig, ResolvedHost } from '../api/types.js';
import { CONTAINERD_SOCKET, type RenderedFile } from './containerd-config.js';
import { PROXY_DROPIN_NAME, proxyConfigured, renderProxyDropIn } from './proxy.js';
import { systemdWord } from './shell.js';

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
  // systemd splits $KUBELET_KUBEADM_ARGS at whitespace: each flag is one word, whatever its value.
  return `KUBELET_KUBEADM_ARGS="${flags.map(systemdWord).join(' ')}"\n`;
}

export const KUBELET_PROXY_DROPIN_PATH = `/etc/systemd/system/kubelet.service.d/${PROXY_DROPIN_NAME}`;

/** kubelet's drop-in reading the proxy environment file (written with containerd's files). */
export function renderKubeletProxyFiles(proxy: ProxyConfig | undefined): RenderedFile[] {
  return proxyConfigured(proxy) ? [{ path: KUBELET_PROXY_DROPIN_PATH, content: renderProxyDropIn(), mode: '0644' }] : [];
}

// host.kubelet.configure: /var/lib/kubelet/kubeadm-flags.env, exactly as kubeadm writes it from
// the node registration KubeOne renders (config.yaml is the KubeletConfiguration rendered by
// pkg/kubeadm). The tool owns both files after the join.
import type { KubeOneCluster, ProxyConfig, ResolvedHost } from '../api/types.js';
import { nodeRegistrationOf } from '../kubeadm/node-configuration.js';
import type { RenderedFile } from './containerd-config.js';
import { PROXY_DROPIN_NAME, proxyConfigured, renderProxyDropIn } from './proxy.js';
import { systemdWord } from './shell.js';

export const KUBELET_FLAGS_PATH = '/var/lib/kubelet/kubeadm-flags.env';
export const KUBELET_CONFIG_PATH = '/var/lib/kubelet/config.yaml';

interface Registration {
  name: string;
  criSocket: string;
  taints: { key: string; value?: string; effect: string }[];
  kubeletExtraArgs: { name: string; value: string }[];
}

/**
 * kubeadm's kubelet-start flags: the CRI endpoint, --hostname-override with the node name
 * (always, unlike kubeadm, which leaves it out when the node name equals the machine's
 * hostname: this pins the name even if the machine is renamed later), --register-with-taints
 * on workers (control planes get their taints from kubeadm's mark-control-plane phase), then
 * kubeletExtraArgs overriding any of these; sorted by name as kubeadm's ArgumentsToCommand does.
 */
export function renderKubeletFlags(cluster: KubeOneCluster, host: ResolvedHost): string {
  const reg = nodeRegistrationOf(cluster, host) as unknown as Registration;
  const flags = new Map<string, string>([
    ['container-runtime-endpoint', reg.criSocket],
    ['hostname-override', reg.name],
  ]);
  if (host.role !== 'controlPlane' && reg.taints.length > 0) {
    flags.set('register-with-taints', reg.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(','));
  }
  for (const { name, value } of reg.kubeletExtraArgs) flags.set(name, value);
  const line = [...flags.keys()]
    .sort()
    // systemd splits $KUBELET_KUBEADM_ARGS at whitespace: each flag is one word, whatever its value.
    .map((name) => systemdWord(`--${name}=${flags.get(name)}`))
    .join(' ');
  return `KUBELET_KUBEADM_ARGS="${line}"\n`;
}

export const KUBELET_PROXY_DROPIN_PATH = `/etc/systemd/system/kubelet.service.d/${PROXY_DROPIN_NAME}`;

/** kubelet's drop-in reading the proxy environment file (written with containerd's files). */
export function renderKubeletProxyFiles(proxy: ProxyConfig | undefined): RenderedFile[] {
  return proxyConfigured(proxy) ? [{ path: KUBELET_PROXY_DROPIN_PATH, content: renderProxyDropIn(), mode: '0644' }] : [];
}

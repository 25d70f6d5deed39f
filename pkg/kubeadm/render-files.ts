// The kubeadm configuration files uploaded to ~/kubeone/cfg (mode 0600) and the kubelet
// config.yaml, as exact bytes. YAML is emitted deterministically (fixed key order).
import { stringify } from 'yaml';
import type { LoadedCluster, ResolvedHost } from '../api/types.js';
import { renderClusterConfiguration } from './cluster-configuration.js';
import {
  type JoinSecrets,
  renderInitConfiguration,
  renderJoinConfiguration,
  renderKubeProxyConfiguration,
  renderKubeletConfiguration,
} from './node-configuration.js';

/**
 * systemd-resolved's list of the upstream name servers (not its 127.0.0.53 stub). Where it
 * exists, the kubelet is pointed at it, as kubeadm does on hosts where systemd-resolved runs.
 */
export const SYSTEMD_RESOLVED_RESOLV_CONF = '/run/systemd/resolve/resolv.conf';

export function toYamlDocuments(docs: Record<string, unknown>[]): string {
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

/**
 * ~/kubeone/cfg/init.yaml for a control plane (the leader inits from it; a reconfiguration
 * uploads its ClusterConfiguration). `clusterConfiguration` replaces the rendered one: the
 * executor passes the desired one, which keeps the live flags that are not this tool's.
 */
export function renderInitFile(loaded: LoadedCluster, host: ResolvedHost, clusterConfiguration?: Record<string, unknown>): string {
  const { cluster, hosts } = loaded;
  return toYamlDocuments([
    renderInitConfiguration(cluster, host),
    clusterConfiguration ?? renderClusterConfiguration(cluster, hosts),
    renderKubeletConfiguration(cluster),
    renderKubeProxyConfiguration(cluster),
  ]);
}

/** The JoinConfiguration with the token: written only to a 0600 file, removed after the join. */
export function renderJoinFile(loaded: LoadedCluster, host: ResolvedHost, secrets: JoinSecrets): string {
  return toYamlDocuments([renderJoinConfiguration(loaded.cluster, loaded.hosts, host, secrets)]);
}

/**
 * /var/lib/kubelet/config.yaml as the tool writes it after the join: the cluster-wide
 * configuration (per-host settings are kubelet flags), with what kubeadm adds per host: on a
 * host where systemd-resolved runs, `resolvConf` names its resolv.conf, so that pods do not
 * get the 127.0.0.53 stub (unreachable from their network namespace) as their name server.
 */
export function renderKubeletConfigFile(loaded: LoadedCluster, host: { systemdResolved?: boolean } = {}): string {
  const config = renderKubeletConfiguration(loaded.cluster);
  if (host.systemdResolved) config.resolvConf = SYSTEMD_RESOLVED_RESOLV_CONF;
  return toYamlDocuments([config]);
}

/** Files kubeadm.config.render uploads, keyed by path relative to the login user's home. */
export function renderKubeadmConfigFiles(loaded: LoadedCluster, host: ResolvedHost, clusterConfiguration?: Record<string, unknown>): Record<string, string> {
  if (host.role === 'controlPlane') return { 'kubeone/cfg/init.yaml': renderInitFile(loaded, host, clusterConfiguration) };
  return { 'kubeone/cfg/kubelet.yaml': renderKubeletConfigFile(loaded) };
}

export { renderClusterConfiguration } from './cluster-configuration.js';

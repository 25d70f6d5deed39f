// InitConfiguration, JoinConfiguration, KubeletConfiguration and KubeProxyConfiguration
// for one host. The join token is an argument, never stored: callers write the rendered
// JoinConfiguration to a 0600 file and remove it after the join.
import type { KubeOneCluster, KubeletConfig, ResolvedHost, Taint } from '../api/types.js';
import { CONTAINERD_SOCKET } from '../scripts/containerd-config.js';
import { nodeNameOf } from '../scripts/kubelet-files.js';
import { KUBEADM_API_VERSION } from './cluster-configuration.js';
import { DEFAULTS, advertiseAddressOf, apiEndpointOf, clusterDnsIp, joinHostPort, podSubnetOf, serviceSubnetOf } from './network.js';

const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

function taintsOf(host: ResolvedHost): Taint[] {
  // null = explicitly no taints; undefined = the role's default.
  if (host.config.taints === null) return [];
  if (host.config.taints) return host.config.taints.map(({ key, value, effect }) => (value ? { key, value, effect } : { key, effect }));
  return host.role === 'controlPlane' ? [CONTROL_PLANE_TAINT] : [];
}

function nodeRegistration(host: ResolvedHost): Record<string, unknown> {
  return {
    name: nodeNameOf(host),
    criSocket: CONTAINERD_SOCKET,
    taints: taintsOf(host),
    kubeletExtraArgs: [{ name: 'node-ip', value: advertiseAddressOf(host) }],
  };
}

export function renderInitConfiguration(cluster: KubeOneCluster, host: ResolvedHost): Record<string, unknown> {
  const config: Record<string, unknown> = {
    apiVersion: KUBEADM_API_VERSION,
    kind: 'InitConfiguration',
    // No default bootstrap token: join tokens are created on demand with a short TTL.
    bootstrapTokens: [],
    localAPIEndpoint: { advertiseAddress: advertiseAddressOf(host), bindPort: cluster.apiEndpoint?.port || DEFAULTS.apiPort },
    nodeRegistration: nodeRegistration(host),
  };
  if (cluster.clusterNetwork?.kubeProxy?.skipInstallation) config.skipPhases = ['addon/kube-proxy'];
  return config;
}

export interface JoinSecrets {
  token: string;
  /** sha256:<hex> of the cluster CA's public key. */
  caCertHash: string;
}

export function renderJoinConfiguration(
  cluster: KubeOneCluster,
  hosts: ResolvedHost[],
  host: ResolvedHost,
  secrets: JoinSecrets,
): Record<string, unknown> {
  const endpoint = apiEndpointOf(cluster, hosts);
  const config: Record<string, unknown> = {
    apiVersion: KUBEADM_API_VERSION,
    kind: 'JoinConfiguration',
    discovery: {
      bootstrapToken: {
        apiServerEndpoint: joinHostPort(endpoint.host, endpoint.port),
        token: secrets.token,
        caCertHashes: [secrets.caCertHash],
      },
    },
    nodeRegistration: nodeRegistration(host),
  };
  if (host.role === 'controlPlane') {
    config.controlPlane = {
      localAPIEndpoint: { advertiseAddress: advertiseAddressOf(host), bindPort: cluster.apiEndpoint?.port || DEFAULTS.apiPort },
    };
  }
  return config;
}

function mergedKubelet(cluster: KubeOneCluster, host: ResolvedHost): KubeletConfig {
  return { ...(cluster.kubeletConfig ?? {}), ...(host.config.kubelet ?? {}) };
}

export function renderKubeletConfiguration(cluster: KubeOneCluster, host: ResolvedHost): Record<string, unknown> {
  const k = mergedKubelet(cluster, host);
  const config: Record<string, unknown> = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true, cacheTTL: '2m0s' },
      x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' },
    },
    authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' } },
    cgroupDriver: 'systemd',
    clusterDNS: [clusterDnsIp(serviceSubnetOf(cluster))],
    clusterDomain: cluster.clusterNetwork?.serviceDomainName || DEFAULTS.serviceDomainName,
    containerRuntimeEndpoint: CONTAINERD_SOCKET,
    rotateCertificates: true,
    staticPodPath: '/etc/kubernetes/manifests',
  };
  if (k.systemReserved) config.systemReserved = k.systemReserved;
  if (k.kubeReserved) config.kubeReserved = k.kubeReserved;
  if (k.evictionHard) config.evictionHard = k.evictionHard;
  if (k.maxPods) config.maxPods = k.maxPods;
  if (k.imageGCHighThresholdPercent !== undefined) config.imageGCHighThresholdPercent = k.imageGCHighThresholdPercent;
  if (k.imageGCLowThresholdPercent !== undefined) config.imageGCLowThresholdPercent = k.imageGCLowThresholdPercent;
  if (k.imageMinimumGCAge) config.imageMinimumGCAge = k.imageMinimumGCAge;
  if (k.imageMaximumGCAge) config.imageMaximumGCAge = k.imageMaximumGCAge;
  if (cluster.loggingConfig?.containerLogMaxSize) config.containerLogMaxSize = cluster.loggingConfig.containerLogMaxSize;
  if (cluster.loggingConfig?.containerLogMaxFiles) config.containerLogMaxFiles = cluster.loggingConfig.containerLogMaxFiles;
  const ciphers = cluster.tlsCipherSuites?.kubelet;
  if (ciphers && ciphers.length > 0) config.tlsCipherSuites = ciphers;
  return config;
}

export function renderKubeProxyConfiguration(cluster: KubeOneCluster): Record<string, unknown> {
  const kp = cluster.clusterNetwork?.kubeProxy;
  const config: Record<string, unknown> = {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clusterCIDR: podSubnetOf(cluster),
    mode: kp?.ipvs ? 'ipvs' : 'iptables',
  };
  if (kp?.ipvs) {
    const ipvs: Record<string, unknown> = { strictARP: Boolean(kp.ipvs.strictARP) };
    if (kp.ipvs.scheduler) ipvs.scheduler = kp.ipvs.scheduler;
    if (kp.ipvs.excludeCIDRs) ipvs.excludeCIDRs = kp.ipvs.excludeCIDRs;
    if (kp.ipvs.tcpTimeout) ipvs.tcpTimeout = kp.ipvs.tcpTimeout;
    if (kp.ipvs.tcpFinTimeout) ipvs.tcpFinTimeout = kp.ipvs.tcpFinTimeout;
    if (kp.ipvs.udpTimeout) ipvs.udpTimeout = kp.ipvs.udpTimeout;
    config.ipvs = ipvs;
  }
  return config;
}

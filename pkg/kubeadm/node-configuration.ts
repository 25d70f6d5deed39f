// InitConfiguration, JoinConfiguration, KubeletConfiguration and KubeProxyConfiguration as KubeOne
// 1.14 renders them (pkg/templates/kubeadm/v1beta4, pkg/templates/kubernetesconfigs). The join
// token is an argument, never stored: callers write the rendered JoinConfiguration to a 0600 file
// and remove it after the join.
import type { KubeOneCluster, KubeletConfig, ResolvedHost, Taint } from '../api/types.js';
import { CONTAINERD_SOCKET } from '../scripts/containerd-config.js';
import { KUBEADM_API_VERSION } from './cluster-configuration.js';
import { canonicalDuration, isZeroDuration } from '../api/duration.js';
import { DEFAULTS, NODE_LOCAL_DNS_IP, advertiseAddressOf, apiEndpointOf, clusterDnsIp, joinHostPort, nodeIpFlagOf, podSubnetOf, serviceSubnetOf } from './network.js';

const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/** Where KubeOne points kubelet's and kube-controller-manager's FlexVolume plugin directory. */
export const VOLUME_PLUGIN_DIR = '/var/lib/kubelet/volumeplugins';

/** Preflight checks KubeOne lets kubeadm ignore (images may be pre-loaded, dirs may be left by a reset). */
const IGNORE_PREFLIGHT_CONTROL_PLANE = ['DirAvailable--var-lib-etcd', 'DirAvailable--etc-kubernetes-manifests', 'ImagePull'];
const IGNORE_PREFLIGHT_WORKER = ['DirAvailable--etc-kubernetes-manifests'];

function taintsOf(host: ResolvedHost): Taint[] {
  // null = explicitly no taints; undefined = the role's default.
  if (host.config.taints === null) return [];
  if (host.config.taints) {
    return host.config.taints.map(({ key, value, effect, timeAdded }) => ({ key, ...(value ? { value } : {}), effect, ...(timeAdded ? { timeAdded } : {}) }));
  }
  return host.role === 'controlPlane' ? [CONTROL_PLANE_TAINT] : [];
}

/** The name the node registers under: the manifest's hostname (or the one detected on the machine), else the host's name. */
export function nodeNameOf(host: ResolvedHost): string {
  return host.config.hostname || host.name;
}

function mapFlag(m: Record<string, string>, separator: string): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}${separator}${v}`)
    .sort()
    .join(',');
}

/**
 * nodeRegistration.kubeletExtraArgs as KubeOne sets them, in its order. The host's own kubelet
 * settings travel as flags (they override the cluster-wide KubeletConfiguration on that host,
 * and survive `kubeadm upgrade`, which rewrites config.yaml from the cluster's ConfigMap).
 */
export function kubeletExtraArgsOf(cluster: KubeOneCluster, host: ResolvedHost): { name: string; value: string }[] {
  const args: { name: string; value: string }[] = [{ name: 'volume-plugin-dir', value: VOLUME_PLUGIN_DIR }];
  if (cluster.cloudProvider?.external) args.push({ name: 'cloud-provider', value: 'external' });
  const nodeIp = nodeIpFlagOf(cluster, host);
  if (nodeIp !== null) args.push({ name: 'node-ip', value: nodeIp });
  const k: KubeletConfig = host.config.kubelet ?? {};
  if (k.systemReserved) args.push({ name: 'system-reserved', value: mapFlag(k.systemReserved, '=') });
  if (k.kubeReserved) args.push({ name: 'kube-reserved', value: mapFlag(k.kubeReserved, '=') });
  if (k.evictionHard) args.push({ name: 'eviction-hard', value: mapFlag(k.evictionHard, '<') });
  if (k.maxPods !== undefined) args.push({ name: 'max-pods', value: String(k.maxPods) });
  // v1beta2 has no podPidsLimit: KubeOne always sets the CIS 4.2.13 value (-1 = node-wide limit only).
  args.push({ name: 'pod-max-pids', value: '-1' });
  if (k.imageGCHighThresholdPercent !== undefined) args.push({ name: 'image-gc-high-threshold', value: String(k.imageGCHighThresholdPercent) });
  if (k.imageGCLowThresholdPercent !== undefined) args.push({ name: 'image-gc-low-threshold', value: String(k.imageGCLowThresholdPercent) });
  if (!isZeroDuration(k.imageMinimumGCAge)) args.push({ name: 'minimum-image-ttl-duration', value: canonicalDuration(k.imageMinimumGCAge!) });
  return args;
}

export function nodeRegistrationOf(cluster: KubeOneCluster, host: ResolvedHost): Record<string, unknown> {
  return {
    name: nodeNameOf(host),
    criSocket: CONTAINERD_SOCKET,
    taints: taintsOf(host),
    kubeletExtraArgs: kubeletExtraArgsOf(cluster, host),
    ignorePreflightErrors: host.role === 'controlPlane' ? [...IGNORE_PREFLIGHT_CONTROL_PLANE] : [...IGNORE_PREFLIGHT_WORKER],
  };
}

export function renderInitConfiguration(cluster: KubeOneCluster, host: ResolvedHost): Record<string, unknown> {
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: 'InitConfiguration',
    // Better than KubeOne (which puts a 60-minute token here): no token at init; join tokens
    // are created on demand with a short TTL and never written to the init file.
    bootstrapTokens: [],
    // No bindPort: kubeadm's default (6443), whatever the load balancer's port (apiEndpoint.port).
    localAPIEndpoint: { advertiseAddress: advertiseAddressOf(cluster, host) },
    nodeRegistration: nodeRegistrationOf(cluster, host),
  };
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
        // Better than KubeOne (unsafeSkipCAVerification: true): discovery pins the cluster CA.
        caCertHashes: [secrets.caCertHash],
      },
    },
    nodeRegistration: nodeRegistrationOf(cluster, host),
  };
  if (host.role === 'controlPlane') {
    config.controlPlane = { localAPIEndpoint: { advertiseAddress: advertiseAddressOf(cluster, host) } };
  }
  return config;
}

/**
 * The KubeletConfiguration KubeOne passes to kubeadm (cluster-wide kubeletConfig only), with the
 * defaults kubeadm adds before storing it in kube-system/kubelet-config and writing it to
 * /var/lib/kubelet/config.yaml. Zero values kubeadm serializes (`0s`) are left out: the kubelet
 * reads both as its own default.
 */
export function renderKubeletConfiguration(cluster: KubeOneCluster): Record<string, unknown> {
  const k: KubeletConfig = cluster.kubeletConfig ?? {};
  const clusterDNS = cluster.features?.nodeLocalDNS?.deploy ? [NODE_LOCAL_DNS_IP] : [clusterDnsIp(serviceSubnetOf(cluster))];
  const config: Record<string, unknown> = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' },
    },
    authorization: { mode: 'Webhook' },
    cgroupDriver: 'systemd',
    clusterDNS,
    clusterDomain: cluster.clusterNetwork?.serviceDomainName || DEFAULTS.serviceDomainName,
    containerLogMaxFiles: cluster.loggingConfig?.containerLogMaxFiles ?? 5,
    containerLogMaxSize: cluster.loggingConfig?.containerLogMaxSize || '100Mi',
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    rotateCertificates: true,
    // The kubelet asks for a serving certificate signed by the cluster CA; kubeone approves it.
    serverTLSBootstrap: true,
    staticPodPath: '/etc/kubernetes/manifests',
    tlsCipherSuites: [...(cluster.tlsCipherSuites?.kubelet ?? [])],
  };
  if (k.systemReserved) config.systemReserved = { ...k.systemReserved };
  if (k.kubeReserved) config.kubeReserved = { ...k.kubeReserved };
  if (k.evictionHard) config.evictionHard = { ...k.evictionHard };
  if (k.maxPods) config.maxPods = k.maxPods;
  if (k.imageGCHighThresholdPercent !== undefined) config.imageGCHighThresholdPercent = k.imageGCHighThresholdPercent;
  if (k.imageGCLowThresholdPercent !== undefined) config.imageGCLowThresholdPercent = k.imageGCLowThresholdPercent;
  if (!isZeroDuration(k.imageMinimumGCAge)) config.imageMinimumGCAge = canonicalDuration(k.imageMinimumGCAge!);
  // Deliberately unlike KubeOne, which drops it: imageMaximumGCAge is honoured (kubelet 1.30+).
  if (!isZeroDuration(k.imageMaximumGCAge)) config.imageMaximumGCAge = canonicalDuration(k.imageMaximumGCAge!);
  if (config.tlsCipherSuites && (config.tlsCipherSuites as string[]).length === 0) delete config.tlsCipherSuites;
  return config;
}

export function renderKubeProxyConfiguration(cluster: KubeOneCluster): Record<string, unknown> {
  const kp = cluster.clusterNetwork?.kubeProxy;
  const config: Record<string, unknown> = {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig: '/var/lib/kube-proxy/kubeconfig.conf' },
    // Unlike KubeOne (IPv4 pod subnet only, empty on IPv6 clusters): every pod subnet, primary
    // family first, so kube-proxy tells local traffic apart on dual-stack and IPv6 clusters too.
    clusterCIDR: podSubnetOf(cluster),
  };
  if (kp?.ipvs) {
    config.mode = 'ipvs';
    const ipvs: Record<string, unknown> = { strictARP: Boolean(kp.ipvs.strictARP) };
    if (kp.ipvs.scheduler) ipvs.scheduler = kp.ipvs.scheduler;
    if (kp.ipvs.excludeCIDRs) ipvs.excludeCIDRs = [...kp.ipvs.excludeCIDRs];
    if (!isZeroDuration(kp.ipvs.tcpTimeout)) ipvs.tcpTimeout = canonicalDuration(kp.ipvs.tcpTimeout!);
    if (!isZeroDuration(kp.ipvs.tcpFinTimeout)) ipvs.tcpFinTimeout = canonicalDuration(kp.ipvs.tcpFinTimeout!);
    if (!isZeroDuration(kp.ipvs.udpTimeout)) ipvs.udpTimeout = canonicalDuration(kp.ipvs.udpTimeout!);
    config.ipvs = ipvs;
  } else if (kp?.iptables) {
    config.mode = 'iptables';
  }
  return config;
}

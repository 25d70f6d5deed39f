// ClusterConfiguration (kubeadm.k8s.io/v1beta4) rendered from the manifest: what the leader's
// `kubeadm init` uses and what the planner compares with kube-system/kubeadm-config.
import type { ControlPlaneComponentConfig, KubeOneCluster, ResolvedHost } from '../api/types.js';
import { DEFAULTS, apiEndpointOf, joinHostPort, podSubnetOf, serviceSubnetOf } from './network.js';

export const KUBEADM_API_VERSION = 'kubeadm.k8s.io/v1beta4';

export type ExtraArgs = { name: string; value: string }[];

/** v1beta4 extraArgs are a sorted list of {name, value}. */
export function toExtraArgs(flags: Record<string, string>): ExtraArgs {
  return Object.keys(flags)
    .sort()
    .map((name) => ({ name, value: flags[name]! }));
}

function featureGatesFlag(gates: Record<string, boolean> | undefined): Record<string, string> {
  if (!gates || Object.keys(gates).length === 0) return {};
  return {
    'feature-gates': Object.keys(gates)
      .sort()
      .map((k) => `${k}=${gates[k]}`)
      .join(','),
  };
}

function componentArgs(base: Record<string, string>, component: ControlPlaneComponentConfig | undefined): ExtraArgs {
  return toExtraArgs({ ...base, ...featureGatesFlag(component?.featureGates), ...(component?.flags ?? {}) });
}

function apiServerFlags(cluster: KubeOneCluster): Record<string, string> {
  const flags: Record<string, string> = {
    'service-node-port-range': cluster.clusterNetwork?.nodePortRange || DEFAULTS.nodePortRange,
  };
  const oidc = cluster.features?.openidConnect;
  if (oidc?.enable && oidc.config) {
    const c = oidc.config;
    const map: [string, string | undefined][] = [
      ['oidc-issuer-url', c.issuerUrl],
      ['oidc-client-id', c.clientId],
      ['oidc-username-claim', c.usernameClaim],
      ['oidc-username-prefix', c.usernamePrefix],
      ['oidc-groups-claim', c.groupsClaim],
      ['oidc-groups-prefix', c.groupsPrefix],
      ['oidc-required-claim', c.requiredClaim],
      ['oidc-signing-algs', c.signingAlgs],
      ['oidc-ca-file', c.caFile],
    ];
    for (const [k, v] of map) if (v) flags[k] = v;
  }
  if (cluster.features?.alwaysPullImages?.enable) flags['enable-admission-plugins'] = 'NodeRestriction,AlwaysPullImages';
  const ciphers = cluster.tlsCipherSuites?.apiServer;
  if (ciphers && ciphers.length > 0) flags['tls-cipher-suites'] = ciphers.join(',');
  return flags;
}

function etcdArgs(cluster: KubeOneCluster): ExtraArgs {
  const etcd = cluster.controlPlaneComponents?.etcd;
  const flags: Record<string, string> = {};
  if (etcd?.quotaBackendBytes) flags['quota-backend-bytes'] = String(etcd.quotaBackendBytes);
  if (etcd?.autoCompactionRetention) flags['auto-compaction-retention'] = etcd.autoCompactionRetention;
  if (etcd?.autoCompactionMode) flags['auto-compaction-mode'] = etcd.autoCompactionMode;
  const ciphers = cluster.tlsCipherSuites?.etcd;
  if (ciphers && ciphers.length > 0) flags['cipher-suites'] = ciphers.join(',');
  return toExtraArgs(flags);
}

export function renderClusterConfiguration(cluster: KubeOneCluster, hosts: ResolvedHost[]): Record<string, unknown> {
  const endpoint = apiEndpointOf(cluster, hosts);
  const sans = new Set<string>([endpoint.host, ...(cluster.apiEndpoint?.alternativeNames ?? [])]);
  for (const h of hosts.filter((x) => x.role === 'controlPlane')) {
    for (const a of [h.config.publicAddress, h.config.privateAddress]) if (a) sans.add(a);
  }
  const components = cluster.controlPlaneComponents ?? {};
  const config: Record<string, unknown> = {
    apiVersion: KUBEADM_API_VERSION,
    kind: 'ClusterConfiguration',
    clusterName: cluster.name ?? '',
    kubernetesVersion: `v${(cluster.versions?.kubernetes ?? '').replace(/^v/, '')}`,
    controlPlaneEndpoint: joinHostPort(endpoint.host, endpoint.port),
    certificatesDir: '/etc/kubernetes/pki',
    imageRepository: cluster.registryConfiguration?.overwriteRegistry || 'registry.k8s.io',
    networking: {
      dnsDomain: cluster.clusterNetwork?.serviceDomainName || DEFAULTS.serviceDomainName,
      podSubnet: podSubnetOf(cluster),
      serviceSubnet: serviceSubnetOf(cluster),
    },
    apiServer: {
      certSANs: [...sans].filter(Boolean).sort(),
      extraArgs: componentArgs(apiServerFlags(cluster), components.apiServer),
    },
    controllerManager: {
      // kubeadm itself derives cluster-cidr / allocate-node-cidrs from networking.podSubnet.
      extraArgs: componentArgs({}, components.controllerManager),
    },
    scheduler: { extraArgs: componentArgs({}, components.scheduler) },
    etcd: { local: { dataDir: '/var/lib/etcd', extraArgs: etcdArgs(cluster) } },
  };
  return config;
}

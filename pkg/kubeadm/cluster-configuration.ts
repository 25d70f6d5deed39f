// ClusterConfiguration (kubeadm.k8s.io/v1beta4) rendered from the manifest as KubeOne 1.14
// renders it (pkg/templates/kubeadm/v1beta4): what the leader's `kubeadm init` uses and what
// the planner compares with kube-system/kubeadm-config. Fields KubeOne leaves to kubeadm's
// defaults (certificatesDir, etcd dataDir, imageRepository without overwriteRegistry) are left
// out here too, so the stored configuration is the one KubeOne would leave.
import type { ControlPlaneComponentConfig, KubeOneCluster, ResolvedHost } from '../api/types.js';
import { defaultAdmissionPlugins } from './admission.js';
import { canonicalDuration } from '../api/duration.js';
import { DEFAULTS, apiEndpointOf, ipFamilyOf, joinHostPort, podSubnetOf, serviceSubnetOf } from './network.js';

export const KUBEADM_API_VERSION = 'kubeadm.k8s.io/v1beta4';

export type ExtraArgs = { name: string; value: string }[];

/** v1beta4 extraArgs: a list of {name, value}; sorted by name (kubeadm sorts the command line anyway). */
export function toExtraArgs(flags: Record<string, string>): ExtraArgs {
  return Object.keys(flags)
    .sort()
    .map((name) => ({ name, value: flags[name]! }));
}

/** kubeadm v1beta4 lists `{name, value}` (a name may repeat); v1beta3 uses a map. Both become a map. */
export function normalizeExtraArgs(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string') {
        const { name, value } = item as { name: string; value?: unknown };
        const text = String(value ?? '');
        out[name] = name in out ? `${out[name]},${text}` : text;
      }
    }
  } else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) out[k] = String(v ?? '');
  }
  return out;
}

/** Where each control-plane component's flags and extra volumes sit in a ClusterConfiguration. */
export const COMPONENT_PATHS = {
  apiServer: { label: 'apiServer', args: ['apiServer', 'extraArgs'], volumes: ['apiServer', 'extraVolumes'] },
  controllerManager: { label: 'controllerManager', args: ['controllerManager', 'extraArgs'], volumes: ['controllerManager', 'extraVolumes'] },
  scheduler: { label: 'scheduler', args: ['scheduler', 'extraArgs'], volumes: ['scheduler', 'extraVolumes'] },
  etcd: { label: 'etcd.local', args: ['etcd', 'local', 'extraArgs'], volumes: null },
} as const;

function parseFeatureGates(value: string | undefined): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const part of (value ?? '').split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (k && (v === 'true' || v === 'false')) out[k] = v === 'true';
  }
  return out;
}

/**
 * The manifest's flags override the rendered ones; its featureGates are merged into an existing
 * feature-gates value (sorted), as KubeOne does last so that users can override anything.
 */
function withUserArgs(base: Record<string, string>, component: ControlPlaneComponentConfig | undefined): ExtraArgs {
  const flags = { ...base, ...(component?.flags ?? {}) };
  const gates = component?.featureGates;
  if (gates && Object.keys(gates).length > 0) {
    const merged = { ...parseFeatureGates(flags['feature-gates']), ...gates };
    flags['feature-gates'] = Object.keys(merged)
      .sort()
      .map((k) => `${k}=${merged[k]}`)
      .join(',');
  }
  return toExtraArgs(flags);
}

function apiServerFlags(cluster: KubeOneCluster): Record<string, string> {
  const admission = defaultAdmissionPlugins(cluster.versions?.kubernetes ?? '');
  const flags: Record<string, string> = {
    'endpoint-reconciler-type': 'lease',
    'kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt',
    profiling: 'false',
    'request-timeout': '1m',
    'service-node-port-range': cluster.clusterNetwork?.nodePortRange || DEFAULTS.nodePortRange,
    'tls-cipher-suites': (cluster.tlsCipherSuites?.apiServer ?? []).join(','),
  };
  const oidc = cluster.features?.openidConnect;
  if (oidc?.enable && oidc.config) {
    const c = oidc.config;
    flags['oidc-issuer-url'] = c.issuerUrl ?? '';
    flags['oidc-client-id'] = c.clientId ?? '';
    const optional: [string, string | undefined][] = [
      ['oidc-username-claim', c.usernameClaim],
      ['oidc-username-prefix', c.usernamePrefix],
      ['oidc-groups-claim', c.groupsClaim],
      // "-" means "no prefix" to KubeOne for groups: the flag is left out.
      ['oidc-groups-prefix', c.groupsPrefix === '-' ? undefined : c.groupsPrefix],
      ['oidc-required-claim', c.requiredClaim],
      ['oidc-signing-algs', c.signingAlgs],
      ['oidc-ca-file', c.caFile],
    ];
    for (const [k, v] of optional) if (v) flags[k] = v;
  }
  if (cluster.features?.alwaysPullImages?.enable) admission.push('AlwaysPullImages');
  flags['enable-admission-plugins'] = admission.join(',');
  return flags;
}

function controllerManagerFlags(cluster: KubeOneCluster): Record<string, string> {
  const flags: Record<string, string> = {
    'flex-volume-plugin-dir': '/var/lib/kubelet/volumeplugins',
    profiling: 'false',
    // CIS benchmark: kube-controller-manager's default (12500) is considered too large.
    'terminated-pod-gc-threshold': '1000',
  };
  const n = cluster.clusterNetwork ?? {};
  // Cilium allocates pod CIDRs itself: the masks are left to it.
  if (!n.cni?.cilium) {
    const family = ipFamilyOf(cluster);
    if (family !== 'IPv6' && n.nodeCIDRMaskSizeIPv4) flags['node-cidr-mask-size-ipv4'] = String(n.nodeCIDRMaskSizeIPv4);
    if (family !== 'IPv4' && n.nodeCIDRMaskSizeIPv6) flags['node-cidr-mask-size-ipv6'] = String(n.nodeCIDRMaskSizeIPv6);
  }
  return flags;
}

function etcdArgs(cluster: KubeOneCluster): ExtraArgs {
  const etcd = cluster.controlPlaneComponents?.etcd;
  const flags: Record<string, string> = {
    // Data corruption detection (etcd 3.5 data-integrity advisories). Kubernetes 1.34-1.36 ship
    // etcd 3.6, which still reads the experimental- names KubeOne 1.14 writes.
    'experimental-compact-hash-check-enabled': 'true',
    'experimental-corrupt-check-time': '240m',
  };
  if (etcd?.quotaBackendBytes) flags['quota-backend-bytes'] = String(etcd.quotaBackendBytes);
  if (etcd?.autoCompactionRetention) flags['auto-compaction-retention'] = etcd.autoCompactionRetention;
  if (etcd?.autoCompactionMode) flags['auto-compaction-mode'] = etcd.autoCompactionMode;
  const ciphers = cluster.tlsCipherSuites?.etcd;
  if (ciphers && ciphers.length > 0) flags['cipher-suites'] = ciphers.join(',');
  return toExtraArgs(flags);
}

/** etcdctl inside the etcd static pod works without flags (KubeOne's extraEnvs). */
const ETCDCTL_ENV = [
  { name: 'ETCDCTL_CACERT', value: '/etc/kubernetes/pki/etcd/ca.crt' },
  { name: 'ETCDCTL_CERT', value: '/etc/kubernetes/pki/etcd/healthcheck-client.crt' },
  { name: 'ETCDCTL_KEY', value: '/etc/kubernetes/pki/etcd/healthcheck-client.key' },
  { name: 'ETCDCTL_ENDPOINTS', value: 'https://127.0.0.1:2379' },
];

/** apiEndpoint.host and alternativeNames, lower-cased, in that order (KubeOne's GetCertificateSANs). */
export function certSANsOf(cluster: KubeOneCluster, hosts: ResolvedHost[]): string[] {
  return [apiEndpointOf(cluster, hosts).host, ...(cluster.apiEndpoint?.alternativeNames ?? [])].map((s) => s.toLowerCase());
}

export function renderClusterConfiguration(cluster: KubeOneCluster, hosts: ResolvedHost[]): Record<string, unknown> {
  const endpoint = apiEndpointOf(cluster, hosts);
  const components = cluster.controlPlaneComponents ?? {};
  const overwriteRegistry = cluster.registryConfiguration?.overwriteRegistry ?? '';
  const dnsRepository = cluster.features?.coreDNS?.imageRepository || overwriteRegistry;
  const ca = cluster.certificateAuthority;
  const config: Record<string, unknown> = {
    apiVersion: KUBEADM_API_VERSION,
    kind: 'ClusterConfiguration',
    clusterName: cluster.name ?? '',
    ...(ca?.certificateValidityPeriod ? { certificateValidityPeriod: canonicalDuration(ca.certificateValidityPeriod) } : {}),
    ...(ca?.caCertificateValidityPeriod ? { caCertificateValidityPeriod: canonicalDuration(ca.caCertificateValidityPeriod) } : {}),
    kubernetesVersion: `v${(cluster.versions?.kubernetes ?? '').replace(/^v/, '')}`,
    controlPlaneEndpoint: joinHostPort(endpoint.host, endpoint.port),
    apiServer: {
      certSANs: certSANsOf(cluster, hosts),
      extraArgs: withUserArgs(apiServerFlags(cluster), components.apiServer),
    },
    controllerManager: { extraArgs: withUserArgs(controllerManagerFlags(cluster), components.controllerManager) },
    scheduler: { extraArgs: withUserArgs({ profiling: 'false' }, components.scheduler) },
    etcd: {
      local: {
        ...(overwriteRegistry ? { imageRepository: overwriteRegistry } : {}),
        extraArgs: etcdArgs(cluster),
        extraEnvs: ETCDCTL_ENV.map((e) => ({ ...e })),
      },
    },
    ...(dnsRepository ? { dns: { imageRepository: dnsRepository } } : {}),
    ...(overwriteRegistry ? { imageRepository: overwriteRegistry } : {}),
    networking: {
      dnsDomain: cluster.clusterNetwork?.serviceDomainName || DEFAULTS.serviceDomainName,
      podSubnet: podSubnetOf(cluster),
      serviceSubnet: serviceSubnetOf(cluster),
    },
  };
  if (cluster.clusterNetwork?.kubeProxy?.skipInstallation) config.proxy = { disabled: true };
  return config;
}

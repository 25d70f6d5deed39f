// The `.Config` templates see: the cluster with Go-style field names (PodSubnet, CNI.Canal.MTU,
// APIEndpoint.Host, Features.CoreDNS.Replicas), as KubeOne's internal API spells them, with
// the defaults addons rely on filled in so a manifest that omits them renders the same.
import type { KubeOneCluster } from '../api/types.js';
import { markStruct } from './template/index.js';

/** camelCase JSON names whose Go field name is not just the capitalized form. */
const GO_NAMES: Record<string, string> = {
  apiEndpoint: 'APIEndpoint',
  cni: 'CNI',
  mtu: 'MTU',
  ipvs: 'IPVS',
  iptables: 'IPTables',
  aws: 'AWS',
  gce: 'GCE',
  digitalocean: 'DigitalOcean',
  equinixmetal: 'EquinixMetal',
  vmwareCloudDirector: 'VMwareCloudDirector',
  csiConfig: 'CSIConfig',
  http: 'HTTP',
  https: 'HTTPS',
  sshPort: 'SSHPort',
  sshUsername: 'SSHUsername',
  sshPrivateKeyFile: 'SSHPrivateKeyFile',
  sshCertFile: 'SSHCertFile',
  sshHostPublicKey: 'SSHHostPublicKey',
  sshAgentSocket: 'SSHAgentSocket',
  ipv6Addresses: 'IPv6Addresses',
  ipFamily: 'IPFamily',
  caBundle: 'CABundle',
  openidConnect: 'OpenIDConnect',
  issuerUrl: 'IssuerURL',
  clientId: 'ClientID',
  caFile: 'CAFile',
  coreDNS: 'CoreDNS',
  nodeLocalDNS: 'NodeLocalDNS',
  tlsCipherSuites: 'TLSCipherSuites',
  repoURL: 'RepoURL',
  chartURL: 'ChartURL',
  url: 'URL',
  networkID: 'NetworkID',
  poolID: 'PoolID',
  publicIP: 'PublicIP',
  enableGatewayAPI: 'EnableGatewayAPI',
};

/** Keys whose value is a user map: its keys are data, not field names. */
const MAP_KEYS = new Set([
  'labels',
  'annotations',
  'systemReserved',
  'kubeReserved',
  'evictionHard',
  'flags',
  'featureGates',
  'params',
  'globalParams',
  'machineAnnotations',
  'nodeAnnotations',
  'machineObjectAnnotations',
  'cloudProviderSpec',
  'operatingSystemSpec',
  'inline',
]);

export function goFieldName(key: string): string {
  return GO_NAMES[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
}

function toGo(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => toGo(v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const isMap = MAP_KEYS.has(key) || key === 'registries';
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (MAP_KEYS.has(key)) out[k] = v;
    else if (key === 'registries') out[k] = toGo(v);
    else out[goFieldName(k)] = toGo(v, k);
  }
  return isMap ? out : markStruct(out);
}

const CANAL_MTU: Record<string, number> = { aws: 8951, gce: 1410, hetzner: 1400, openstack: 1400 };

/** Fills the defaults the embedded addons read (a no-op on an already defaulted manifest). */
export function withAddonDefaults(c: KubeOneCluster): KubeOneCluster {
  const provider = Object.keys(c.cloudProvider ?? {}).find((k) => CANAL_MTU[k] !== undefined);
  const net = c.clusterNetwork ?? {};
  const cni = net.cni ?? { canal: {} };
  return {
    ...c,
    clusterNetwork: {
      ...net,
      podSubnet: net.podSubnet || '10.244.0.0/16',
      serviceSubnet: net.serviceSubnet || '10.96.0.0/12',
      serviceDomainName: net.serviceDomainName || 'cluster.local',
      cni: cni.canal ? { ...cni, canal: { ...cni.canal, mtu: cni.canal.mtu ?? (provider ? CANAL_MTU[provider] : 1450) } } : cni.cilium
        ? { ...cni, cilium: { ...cni.cilium, kubeProxyReplacement: cni.cilium.kubeProxyReplacement || 'disabled' } }
        : cni,
    },
    apiEndpoint: { ...c.apiEndpoint, port: c.apiEndpoint?.port ?? 6443 },
    features: {
      ...c.features,
      coreDNS: {
        ...c.features?.coreDNS,
        replicas: c.features?.coreDNS?.replicas ?? 2,
        deployPodDisruptionBudget: c.features?.coreDNS?.deployPodDisruptionBudget ?? true,
      },
      metricsServer: { enable: c.features?.metricsServer?.enable ?? true },
      nodeLocalDNS: { deploy: c.features?.nodeLocalDNS?.deploy ?? true },
    },
  };
}

/** The `.Config` value for templates. */
export function configView(c: KubeOneCluster): Record<string, unknown> {
  return toGo(withAddonDefaults(c)) as Record<string, unknown>;
}

import { stringify } from 'yaml';
import type { HostConfig } from './types.js';

/** Options of `kubeone config print` (KubeOne's flags, same defaults). */
export interface ExampleOptions {
  full: boolean;
  clusterName: string;
  kubernetesVersion: string;
  provider: string;
  controlPlaneHosts: HostConfig[];
  apiEndpointHost: string;
  apiEndpointPort: number;
  apiEndpointAlternativeNames: string[];
  podSubnet: string;
  serviceSubnet: string;
  serviceDNS: string;
  nodePortRange: string;
  proxyHttp: string;
  proxyHttps: string;
  proxyNoProxy: string;
  enableAlwaysPullImages: boolean;
  enableEventRateLimit: boolean;
  enablePodNodeSelector: boolean;
  enablePodSecurityPolicy: boolean;
  enableStaticAuditLog: boolean;
  enableDynamicAuditLog: boolean;
  enableMetricsServer: boolean;
  enableOpenIDConnect: boolean;
  enableEncryptionProviders: boolean;
  deployMachineController: boolean;
  containerLogMaxSize: string;
  containerLogMaxFiles: number;
}

/** Documentation-range addresses (RFC 5737): an example that validates but touches nothing. */
export const EXAMPLE_HOSTS: HostConfig[] = [
  { publicAddress: '192.0.2.10', privateAddress: '10.0.0.10', sshUsername: 'ubuntu', sshPrivateKeyFile: '~/.ssh/id_rsa' },
];

/**
 * `--control-plane-hosts` syntax: hosts separated by spaces, each a comma-separated list of
 * key:value (publicAddress, privateAddress, sshUsername, sshPort, sshPrivateKeyFile, hostname...).
 */
export function parseHostsFlag(value: string): HostConfig[] {
  const numeric = new Set(['sshPort', 'bastionPort']);
  const allowed = new Set([
    'publicAddress', 'privateAddress', 'sshUsername', 'sshPort', 'sshPrivateKeyFile', 'sshAgentSocket',
    'bastion', 'bastionPort', 'bastionUser', 'hostname', 'isLeader', 'operatingSystem',
  ]);
  return value
    .split(/\s+/)
    .filter(Boolean)
    .map((spec) => {
      const host: Record<string, unknown> = {};
      for (const part of spec.split(',').filter(Boolean)) {
        const i = part.indexOf(':');
        const key = i > 0 ? part.slice(0, i) : part;
        const v = i > 0 ? part.slice(i + 1) : '';
        if (!allowed.has(key)) throw new Error(`--control-plane-hosts: unknown host field ${JSON.stringify(key)} in ${JSON.stringify(spec)}`);
        if (numeric.has(key)) {
          if (!/^\d+$/.test(v)) throw new Error(`--control-plane-hosts: ${key} must be a number in ${JSON.stringify(spec)}`);
          host[key] = Number(v);
        } else if (key === 'isLeader') host[key] = v === 'true';
        else host[key] = v;
      }
      return host as HostConfig;
    });
}

// Editor support: `kubeone config schema > kubeone.schema.json` and add the modeline
// `# yaml-language-server: $schema=./kubeone.schema.json` (docs/manifest.md).
const HEADER = '# KubeOneCluster manifest (kubeone config print). Check it with: kubeone config validate -m <file>\n';

/** The manifest printed by `kubeone config print`; it passes `kubeone config validate`. */
export function renderExampleManifest(o: ExampleOptions): string {
  const cluster: Record<string, unknown> = {
    apiVersion: 'kubeone.k8c.io/v1beta2',
    kind: 'KubeOneCluster',
    name: o.clusterName,
    versions: { kubernetes: o.kubernetesVersion },
    cloudProvider: { [o.provider]: {} },
    controlPlane: { hosts: o.controlPlaneHosts },
    apiEndpoint: {
      ...(o.apiEndpointHost ? { host: o.apiEndpointHost } : {}),
      port: o.apiEndpointPort,
      ...(o.apiEndpointAlternativeNames.length ? { alternativeNames: o.apiEndpointAlternativeNames } : {}),
    },
    clusterNetwork: {
      podSubnet: o.podSubnet,
      serviceSubnet: o.serviceSubnet,
      serviceDomainName: o.serviceDNS,
      nodePortRange: o.nodePortRange,
      cni: { canal: {} },
    },
    machineController: { deploy: o.deployMachineController && o.provider !== 'none' },
    operatingSystemManager: { deploy: o.deployMachineController && o.provider !== 'none' },
    features: features(o),
    loggingConfig: { containerLogMaxSize: o.containerLogMaxSize, containerLogMaxFiles: o.containerLogMaxFiles },
  };
  if (o.proxyHttp || o.proxyHttps || o.proxyNoProxy) {
    cluster.proxy = {
      ...(o.proxyHttp ? { http: o.proxyHttp } : {}),
      ...(o.proxyHttps ? { https: o.proxyHttps } : {}),
      ...(o.proxyNoProxy ? { noProxy: o.proxyNoProxy } : {}),
    };
  }
  if (o.full) Object.assign(cluster, fullExtras());
  const body = stringify(cluster, { lineWidth: 0 });
  return HEADER + (o.full ? annotate(body) : body);
}

function features(o: ExampleOptions): Record<string, unknown> {
  return {
    alwaysPullImages: { enable: o.enableAlwaysPullImages },
    eventRateLimit: { enable: o.enableEventRateLimit, ...(o.enableEventRateLimit ? { config: { configFilePath: 'event-rate-limit.yaml' } } : {}) },
    podNodeSelector: { enable: o.enablePodNodeSelector, ...(o.enablePodNodeSelector ? { config: { configFilePath: 'pod-node-selector.yaml' } } : {}) },
    podSecurityPolicy: { enable: o.enablePodSecurityPolicy },
    staticAuditLog: {
      enable: o.enableStaticAuditLog,
      ...(o.enableStaticAuditLog ? { config: { policyFilePath: 'audit-policy.yaml', logPath: '/var/log/kubernetes/audit.log', logMaxAge: 30, logMaxBackup: 3, logMaxSize: 100 } } : {}),
    },
    dynamicAuditLog: { enable: o.enableDynamicAuditLog },
    metricsServer: { enable: o.enableMetricsServer },
    openidConnect: {
      enable: o.enableOpenIDConnect,
      ...(o.enableOpenIDConnect ? { config: { issuerUrl: 'https://dex.example.com/dex', clientId: 'kubernetes' } } : {}),
    },
    encryptionProviders: { enable: o.enableEncryptionProviders },
    nodeLocalDNS: { deploy: true },
    coreDNS: { replicas: 2, deployPodDisruptionBudget: true },
  };
}

/** Fields shown only with --full, at their default values. */
function fullExtras(): Record<string, unknown> {
  return {
    containerRuntime: { containerd: { registries: {}, deviceOwnershipFromSecurityContext: false } },
    staticWorkers: { hosts: [] },
    dynamicWorkers: [],
    systemPackages: { configureRepositories: true },
    registryConfiguration: {},
    certificateAuthority: {},
    addons: { addons: [] },
    helmReleases: [],
    // Without a url the default Kubernetes package repository for the target minor is used.
    kubernetesBinaries: { packageRepository: {} },
  };
}

const COMMENTS: Record<string, string> = {
  'name:': 'cluster name: a DNS-1123 subdomain, also used for cloud resources',
  'versions:': 'Kubernetes 1.34.x to 1.36.x',
  'cloudProvider:': 'exactly one of aws, azure, digitalocean, gce, hetzner, kubevirt, nutanix, openstack, equinixmetal, vmwareCloudDirector, vsphere, none',
  'controlPlane:': 'one or three (odd) control-plane hosts; publicAddress is the SSH target',
  'apiEndpoint:': 'host defaults to the first control-plane publicAddress; put a load balancer here for HA',
  'clusterNetwork:': 'cni: one of canal, cilium, weaveNet, external',
  'machineController:': 'dynamic workers need machine-controller (not with provider none)',
  'staticWorkers:': 'worker hosts reached over SSH, same fields as controlPlane.hosts',
  'containerRuntime:': 'containerd is the only runtime; registries configures mirrors and auth',
  'kubernetesBinaries:': 'kubeone-ts extension: packageRepository (default) or bundle {url | path}; see docs/manifest-extensions.md',
  'addons:': 'addons.path (relative to this file) holds your own addons',
};

function annotate(body: string): string {
  return body
    .split('\n')
    .map((line) => {
      const c = COMMENTS[line.split(' ')[0] ?? ''];
      return c && !line.startsWith(' ') ? `# ${c}\n${line}` : line;
    })
    .join('\n');
}

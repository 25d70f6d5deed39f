// KubeOneCluster, apiVersion kubeone.k8c.io/v1beta2: the TypeScript shape of every field
// KubeOne 1.14 accepts, plus one documented extension (`kubernetesBinaries`).
// Field names and meanings follow KubeOne's v1beta2 API; defaults are applied in defaults.ts.

export const API_VERSION = 'kubeone.k8c.io/v1beta2';
export const KIND = 'KubeOneCluster';

export type StringMap = Record<string, string>;

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | string;
  timeAdded?: string;
}

export interface KubeletConfig {
  systemReserved?: StringMap;
  kubeReserved?: StringMap;
  evictionHard?: StringMap;
  maxPods?: number;
  imageGCHighThresholdPercent?: number;
  imageGCLowThresholdPercent?: number;
  imageMinimumGCAge?: string;
  imageMaximumGCAge?: string;
}

export type OperatingSystemName = 'ubuntu' | 'debian' | 'centos' | 'rhel' | 'rockylinux' | 'flatcar' | '';

export interface HostConfig {
  publicAddress?: string;
  privateAddress?: string;
  ipv6Addresses?: string[];
  sshPort?: number;
  sshUsername?: string;
  sshPrivateKeyFile?: string;
  sshCertFile?: string;
  sshHostPublicKey?: string;
  sshAgentSocket?: string;
  bastion?: string;
  bastionPort?: number;
  bastionUser?: string;
  bastionHostPublicKey?: string;
  bastionPrivateKeyFile?: string;
  hostname?: string;
  isLeader?: boolean;
  taints?: Taint[] | null;
  labels?: StringMap;
  annotations?: StringMap;
  kubelet?: KubeletConfig;
  operatingSystem?: OperatingSystemName;
}

export interface NodeSet {
  name: string;
  replicas?: number;
  generation?: number;
  nodeSettings?: { labels?: StringMap; annotations?: StringMap; taints?: Taint[] | null };
  operatingSystem?: OperatingSystemName;
  operatingSystemSpec?: { distUpgradeOnBoot?: boolean };
  ssh?: {
    publicKeys?: string[];
    port?: number;
    username?: string;
    privateKeyFile?: string;
    certFile?: string;
    hostPublicKey?: string;
    agentSocket?: string;
    bastion?: string;
    bastionPort?: number;
    bastionUser?: string;
    bastionHostPublicKey?: string;
  };
  cloudProviderSpec?: unknown;
}

export interface ControlPlaneConfig {
  hosts?: HostConfig[];
  nodeSets?: NodeSet[];
}

export interface StaticWorkersConfig {
  hosts?: HostConfig[];
}

export interface APIEndpoint {
  host?: string;
  port?: number;
  alternativeNames?: string[];
}

export interface HetznerSpec {
  networkID?: string;
  controlPlane?: {
    loadBalancer?: { name?: string; type?: string; location?: string; publicIP?: boolean; labels?: StringMap };
  };
}

export interface KubevirtSpec {
  infraNamespace?: string;
  zoneAndRegionEnabled?: boolean;
  loadBalancerEnabled?: boolean;
  controlPlane?: { loadBalancer?: { name?: string; serviceType?: string; annotations?: StringMap } };
}

export interface OpenstackSpec {
  controlPlane?: { loadBalancer?: { name?: string; poolID?: string } };
}

export interface VMwareCloudDirectorSpec {
  vApp?: string;
  storageProfile?: string;
}

export type EmptySpec = Record<string, never>;

export const PROVIDER_NAMES = [
  'aws',
  'azure',
  'digitalocean',
  'gce',
  'hetzner',
  'kubevirt',
  'nutanix',
  'openstack',
  'equinixmetal',
  'vmwareCloudDirector',
  'vsphere',
  'none',
] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface CloudProviderSpec {
  aws?: EmptySpec;
  azure?: EmptySpec;
  digitalocean?: EmptySpec;
  gce?: EmptySpec;
  hetzner?: HetznerSpec;
  kubevirt?: KubevirtSpec;
  nutanix?: EmptySpec;
  openstack?: OpenstackSpec;
  equinixmetal?: EmptySpec;
  vmwareCloudDirector?: VMwareCloudDirectorSpec;
  vsphere?: EmptySpec;
  none?: EmptySpec;
  external?: boolean;
  disableBundledCSIDrivers?: boolean;
  cloudConfig?: string;
  csiConfig?: string;
  secretProviderClassName?: string;
}

export interface VersionConfig {
  kubernetes?: string;
}

export interface ContainerdRegistryAuth {
  username?: string;
  password?: string;
  auth?: string;
  identityToken?: string;
}

export interface ContainerdRegistry {
  mirrors?: string[];
  overridePath?: boolean;
  tlsConfig?: { insecureSkipVerify?: boolean };
  auth?: ContainerdRegistryAuth;
}

export interface ContainerdConfig {
  registries?: Record<string, ContainerdRegistry>;
  deviceOwnershipFromSecurityContext?: boolean;
  sandboxImage?: string;
}

export interface ContainerRuntimeConfig {
  containerd?: ContainerdConfig;
  /** Accepted by the decoder for compatibility, ignored (Docker support was removed in KubeOne 1.8). */
  docker?: Record<string, unknown>;
}

export interface CNI {
  canal?: { mtu?: number };
  cilium?: {
    kubeProxyReplacement?: 'strict' | 'disabled' | string;
    enableHubble?: boolean;
    enableL2Announcements?: boolean;
    enableGatewayAPI?: boolean;
    enableLocalRedirectPolicy?: boolean;
  };
  weaveNet?: { encrypted?: boolean };
  external?: EmptySpec;
}

export interface KubeProxyConfig {
  skipInstallation?: boolean;
  ipvs?: {
    scheduler?: string;
    excludeCIDRs?: string[];
    strictARP?: boolean;
    tcpTimeout?: string;
    tcpFinTimeout?: string;
    udpTimeout?: string;
  };
  iptables?: EmptySpec;
}

export type IPFamily = 'IPv4' | 'IPv6' | 'IPv4+IPv6' | 'IPv6+IPv4';

export interface ClusterNetworkConfig {
  podSubnet?: string;
  podSubnetIPv6?: string;
  serviceSubnet?: string;
  serviceSubnetIPv6?: string;
  serviceDomainName?: string;
  nodePortRange?: string;
  cni?: CNI;
  kubeProxy?: KubeProxyConfig;
  ipFamily?: IPFamily | string;
  nodeCIDRMaskSizeIPv4?: number;
  nodeCIDRMaskSizeIPv6?: number;
}

export interface ProxyConfig {
  http?: string;
  https?: string;
  noProxy?: string;
}

export interface DynamicWorkerConfig {
  name?: string;
  replicas?: number;
  providerSpec?: {
    cloudProviderSpec?: unknown;
    annotations?: StringMap;
    machineAnnotations?: StringMap;
    nodeAnnotations?: StringMap;
    machineObjectAnnotations?: StringMap;
    labels?: StringMap;
    taints?: Taint[];
    sshPublicKeys?: string[];
    operatingSystem?: string;
    operatingSystemSpec?: unknown;
    network?: { cidr?: string; gateway?: string; dns?: { servers?: string[] }; ipFamily?: string };
    overwriteCloudConfig?: string;
  };
}

export interface MachineControllerConfig {
  deploy?: boolean;
}

export interface OperatingSystemManagerConfig {
  deploy?: boolean;
  enableNonRootDeviceOwnership?: boolean;
}

export interface CertificateAuthority {
  bundle?: string;
  file?: string;
  certificateValidityPeriod?: string;
  caCertificateValidityPeriod?: string;
}

export interface Features {
  coreDNS?: { replicas?: number; deployPodDisruptionBudget?: boolean; imageRepository?: string };
  alwaysPullImages?: { enable?: boolean };
  eventRateLimit?: { enable?: boolean; config?: { configFilePath?: string } };
  podNodeSelector?: { enable?: boolean; config?: { configFilePath?: string } };
  podSecurityPolicy?: { enable?: boolean };
  staticAuditLog?: {
    enable?: boolean;
    config?: {
      policyFilePath?: string;
      logPath?: string;
      logMaxAge?: number;
      logMaxBackup?: number;
      logMaxSize?: number;
    };
  };
  dynamicAuditLog?: { enable?: boolean };
  metricsServer?: { enable?: boolean };
  openidConnect?: {
    enable?: boolean;
    config?: {
      issuerUrl?: string;
      clientId?: string;
      usernameClaim?: string;
      usernamePrefix?: string;
      groupsClaim?: string;
      groupsPrefix?: string;
      requiredClaim?: string;
      signingAlgs?: string;
      caFile?: string;
    };
  };
  encryptionProviders?: { enable?: boolean; customEncryptionConfiguration?: string };
  nodeLocalDNS?: { deploy?: boolean };
}

export interface Addon {
  name: string;
  params?: StringMap;
  disableTemplating?: boolean;
  delete?: boolean;
}

export interface Addons {
  enable?: boolean;
  path?: string;
  globalParams?: StringMap;
  addons?: Addon[];
}

export interface HelmRelease {
  chart?: string;
  repoURL?: string;
  chartURL?: string;
  version?: string;
  releaseName?: string;
  namespace?: string;
  wait?: boolean;
  insecure?: boolean;
  timeout?: string;
  values?: { valuesFile?: string; inline?: unknown }[];
  auth?: { username?: string; password?: string };
}

export interface ControlPlaneComponentConfig {
  flags?: StringMap;
  featureGates?: Record<string, boolean>;
}

export interface ControlPlaneComponents {
  controllerManager?: ControlPlaneComponentConfig;
  scheduler?: ControlPlaneComponentConfig;
  apiServer?: ControlPlaneComponentConfig;
  etcd?: { quotaBackendBytes?: number; autoCompactionRetention?: string; autoCompactionMode?: string };
}

/**
 * Extension of this project (not in KubeOne's v1beta2): where the kube binaries
 * (kubeadm, kubelet, kubectl) come from. KubeOne 1.14 dropped `assetConfiguration`;
 * users of air-gapped hosts still need to say where node binaries come from.
 * At most one of packageRepository / bundle. Default: packageRepository.
 * Placeholders: {version} (1.35.1), {minor} (1.35), {arch} (amd64|arm64).
 */
export interface KubernetesBinaries {
  packageRepository?: { url?: string };
  bundle?: { url?: string; path?: string };
  /** Minor ('1.35') -> the patch release ('1.35.1') a multi-minor upgrade passes through. */
  intermediateVersions?: Record<string, string>;
}

export interface KubeOneCluster {
  apiVersion: string;
  kind: string;
  name?: string;
  controlPlane?: ControlPlaneConfig;
  kubeletConfig?: KubeletConfig;
  apiEndpoint?: APIEndpoint;
  cloudProvider?: CloudProviderSpec;
  versions?: VersionConfig;
  containerRuntime?: ContainerRuntimeConfig;
  clusterNetwork?: ClusterNetworkConfig;
  proxy?: ProxyConfig;
  staticWorkers?: StaticWorkersConfig;
  dynamicWorkers?: DynamicWorkerConfig[];
  machineController?: MachineControllerConfig;
  operatingSystemManager?: OperatingSystemManagerConfig;
  caBundle?: string;
  certificateAuthority?: CertificateAuthority;
  features?: Features;
  addons?: Addons;
  helmReleases?: HelmRelease[];
  systemPackages?: { configureRepositories?: boolean };
  registryConfiguration?: { overwriteRegistry?: string; insecureRegistry?: boolean };
  loggingConfig?: { containerLogMaxSize?: string; containerLogMaxFiles?: number };
  tlsCipherSuites?: { apiServer?: string[]; etcd?: string[]; kubelet?: string[] };
  controlPlaneComponents?: ControlPlaneComponents;
  kubernetesBinaries?: KubernetesBinaries;
}

/** Role of a host in the manifest. */
export type HostRole = 'controlPlane' | 'staticWorker';

/**
 * A host after defaulting, flattened with its role and a stable id: what the probe,
 * planner and executor iterate over. `name` is the hostname when known (manifest or
 * probe), else the public address (`:port` appended when ports differ between hosts).
 */
export interface ResolvedHost {
  id: number;
  role: HostRole;
  name: string;
  config: HostConfig;
}

/**
 * The loaded, defaulted, validated manifest plus everything read beside it: what every
 * command after `config validate` works from. Credentials are kept apart so they are
 * never serialized with the manifest.
 */
/** Contents of the files the manifest names for the control planes, read at load (pkg/api/control-plane-inputs.ts). */
export interface ControlPlaneInputs {
  /** features.staticAuditLog.config.policyFilePath */
  auditPolicy?: string;
  /** features.podNodeSelector.config.configFilePath */
  podNodeSelector?: string;
  /** features.eventRateLimit.config.configFilePath */
  eventRateLimit?: string;
}

export interface LoadedCluster {
  /** Absolute path of the manifest file (or '<stdin>'). */
  manifestPath: string;
  /** Directory relative paths in the manifest resolve against. */
  baseDir: string;
  cluster: KubeOneCluster;
  hosts: ResolvedHost[];
  /** Flat map of credentials (file -c and environment fallback). Never logged. */
  credentials: StringMap;
  warnings: string[];
  /** Files of enabled control-plane features (audit policy, admission plugin configurations). */
  controlPlaneInputs?: ControlPlaneInputs;
}

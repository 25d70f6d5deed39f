// `.Config` as KubeOne's templates see it: the defaulted cluster converted to KubeOne's
// internal API (pkg/apis/kubeone, *kubeone.KubeOneCluster), with its Go field names and
// types (so unknown fields fail as in Go and unset ones read as their zero values) and the
// methods KubeOne declares on those types (CloudProviderName, HasIPv4, InsecureRegistryAddress, ...).
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { applyDefaults } from '../api/defaults.js';
import type { KubeOneCluster } from '../api/types.js';
import { parseVersion } from './template/semver.js';
import {
  GoMap,
  GoStruct,
  type GoValue,
  type Method,
  NilPointer,
  Scalar,
  type StructField,
  type StructType,
  markSlice,
  zeroOf,
} from './template/values.js';
import { formatDuration, parseDuration } from './template/gotime.js';

type FieldSpec = [goName: string, json: string, type: string, flags?: 'omitempty' | 'embedded' | 'skip'];

/** Field lists of KubeOne's internal API types (pkg/apis/kubeone/types.go), in declaration order. */
const SCHEMA: Record<string, FieldSpec[]> = {
  KubeOneCluster: [
    ['TypeMeta', '', 'v1.TypeMeta', 'embedded'],
    ['Name', 'name', 'string'],
    ['ControlPlane', 'controlPlane', 'ControlPlaneConfig'],
    ['KubeletConfig', 'kubeletConfig', 'KubeletConfig', 'omitempty'],
    ['APIEndpoint', 'apiEndpoint', 'APIEndpoint'],
    ['CloudProvider', 'cloudProvider', 'CloudProviderSpec'],
    ['Versions', 'versions', 'VersionConfig'],
    ['ContainerRuntime', 'containerRuntime', 'ContainerRuntimeConfig', 'omitempty'],
    ['ClusterNetwork', 'clusterNetwork', 'ClusterNetworkConfig', 'omitempty'],
    ['Proxy', 'proxy', 'ProxyConfig', 'omitempty'],
    ['StaticWorkers', 'staticWorkers', 'StaticWorkersConfig', 'omitempty'],
    ['DynamicWorkers', 'dynamicWorkers', '[]DynamicWorkerConfig', 'omitempty'],
    ['MachineController', 'machineController', '*MachineControllerConfig', 'omitempty'],
    ['OperatingSystemManager', 'operatingSystemManager', '*OperatingSystemManagerConfig', 'omitempty'],
    ['CABundle', 'caBundle', 'string', 'omitempty'],
    ['CertificateAuthority', 'certificateAuthority', 'CertificateAuthorithyConfig', 'omitempty'],
    ['Features', 'features', 'Features', 'omitempty'],
    ['Addons', 'addons', '*Addons', 'omitempty'],
    ['SystemPackages', 'systemPackages', '*SystemPackages', 'omitempty'],
    ['AssetConfiguration', 'assetConfiguration', 'AssetConfiguration', 'omitempty'],
    ['RegistryConfiguration', 'registryConfiguration', '*RegistryConfiguration', 'omitempty'],
    ['LoggingConfig', 'loggingConfig', 'LoggingConfig', 'omitempty'],
    ['TLSCipherSuites', 'tlsCipherSuites', 'TLSCipherSuites'],
    ['ControlPlaneComponents', 'controlPlaneComponents', '*ControlPlaneComponents', 'omitempty'],
  ],
  CertificateAuthorithyConfig: [
    ['Bundle', 'bundle', 'string', 'omitempty'],
    ['File', 'file', 'string', 'omitempty'],
    ['CertificateValidityPeriod', 'certificateValidityPeriod', '*v1.Duration', 'omitempty'],
    ['CACertificateValidityPeriod', 'caCertificateValidityPeriod', '*v1.Duration', 'omitempty'],
  ],
  ControlPlaneComponents: [
    ['ControllerManager', 'controllerManager', '*ControlPlaneComponentConfig', 'omitempty'],
    ['Scheduler', 'scheduler', '*ControlPlaneComponentConfig', 'omitempty'],
    ['APIServer', 'apiServer', '*ControlPlaneComponentConfig', 'omitempty'],
    ['Etcd', 'etcd', '*EtcdConfig', 'omitempty'],
  ],
  EtcdConfig: [
    ['QuotaBackendBytes', 'quotaBackendBytes', 'int64', 'omitempty'],
    ['AutoCompactionRetention', 'autoCompactionRetention', 'string', 'omitempty'],
    ['AutoCompactionMode', 'autoCompactionMode', 'EtcdAutoCompactionMode', 'omitempty'],
  ],
  ControlPlaneComponentConfig: [
    ['Flags', 'flags', 'map[string]string', 'omitempty'],
    ['FeatureGates', 'featureGates', 'map[string]bool', 'omitempty'],
  ],
  TLSCipherSuites: [
    ['APIServer', 'apiServer', '[]string', 'omitempty'],
    ['Etcd', 'etcd', '[]string', 'omitempty'],
    ['Kubelet', 'kubelet', '[]string', 'omitempty'],
  ],
  HelmRelease: [
    ['Chart', 'chart', 'string'],
    ['RepoURL', 'repoURL', 'string', 'omitempty'],
    ['ChartURL', 'chartURL', 'string', 'omitempty'],
    ['Version', 'version', 'string', 'omitempty'],
    ['ReleaseName', 'releaseName', 'string', 'omitempty'],
    ['Namespace', 'namespace', 'string'],
    ['Wait', 'wait', 'bool', 'omitempty'],
    ['WaitTimeout', 'timeout', 'v1.Duration', 'omitempty'],
    ['Insecure', 'insecure', 'bool', 'omitempty'],
    ['Values', 'values', '[]HelmValues', 'omitempty'],
    ['Auth', 'auth', '*HelmAuth', 'omitempty'],
  ],
  HelmAuth: [
    ['Username', 'username', 'string', 'omitempty'],
    ['Password', 'password', 'string', 'omitempty'],
  ],
  HelmValues: [
    ['ValuesFile', 'valuesFile', 'string', 'omitempty'],
    ['Inline', 'inline', 'json.RawMessage', 'omitempty'],
  ],
  LoggingConfig: [
    ['ContainerLogMaxSize', 'containerLogMaxSize', 'string', 'omitempty'],
    ['ContainerLogMaxFiles', 'containerLogMaxFiles', 'int32', 'omitempty'],
  ],
  ContainerRuntimeConfig: [['Containerd', 'containerd', '*ContainerRuntimeContainerd', 'omitempty']],
  ContainerRuntimeContainerd: [
    ['Registries', 'registries', 'map[string]ContainerdRegistry', 'omitempty'],
    ['DeviceOwnershipFromSecurityContext', 'deviceOwnershipFromSecurityContext', '*bool', 'omitempty'],
    ['SandboxImage', 'sandboxImage', 'string', 'omitempty'],
  ],
  ContainerdRegistry: [
    ['Mirrors', 'mirrors', '[]string', 'omitempty'],
    ['OverridePath', 'overridePath', 'bool', 'omitempty'],
    ['TLSConfig', 'tlsConfig', '*ContainerdTLSConfig', 'omitempty'],
    ['Auth', 'auth', '*ContainerdRegistryAuthConfig', 'omitempty'],
  ],
  ContainerdRegistryAuthConfig: [
    ['Username', 'username', 'string', 'omitempty'],
    ['Password', 'password', 'string', 'omitempty'],
    ['Auth', 'auth', 'string', 'omitempty'],
    ['IdentityToken', 'identityToken', 'string', 'omitempty'],
  ],
  ContainerdTLSConfig: [['InsecureSkipVerify', 'insecureSkipVerify', 'bool', 'omitempty']],
  HostConfig: [
    ['ID', '-', 'int'],
    ['PublicAddress', 'publicAddress', 'string'],
    ['IPv6Addresses', 'ipv6Addresses', '[]string'],
    ['PrivateAddress', 'privateAddress', 'string'],
    ['SSHPort', 'sshPort', 'int', 'omitempty'],
    ['SSHUsername', 'sshUsername', 'string', 'omitempty'],
    ['SSHPrivateKeyFile', 'sshPrivateKeyFile', 'string', 'omitempty'],
    ['SSHCertFile', 'sshCertFile', 'string', 'omitempty'],
    ['SSHHostPublicKey', 'sshHostPublicKey', '[]byte', 'omitempty'],
    ['SSHAgentSocket', 'sshAgentSocket', 'string', 'omitempty'],
    ['Bastion', 'bastion', 'string', 'omitempty'],
    ['BastionPort', 'bastionPort', 'int', 'omitempty'],
    ['BastionUser', 'bastionUser', 'string', 'omitempty'],
    ['BastionHostPublicKey', 'bastionHostPublicKey', '[]byte', 'omitempty'],
    ['BastionPrivateKeyFile', 'bastionPrivateKeyFile', 'string', 'omitempty'],
    ['Hostname', 'hostname', 'string', 'omitempty'],
    ['IsLeader', 'isLeader', 'bool', 'omitempty'],
    ['Taints', 'taints', '[]v1.Taint', 'omitempty'],
    ['Labels', 'labels', 'map[string]string', 'omitempty'],
    ['Annotations', 'annotations', 'map[string]string', 'omitempty'],
    ['Kubelet', 'kubelet', 'KubeletConfig', 'omitempty'],
    ['OperatingSystem', 'operatingSystem', 'OperatingSystemName', 'omitempty'],
  ],
  ControlPlaneConfig: [
    ['Hosts', 'hosts', '[]HostConfig', 'omitempty'],
    ['NodeSets', 'nodeSets', '[]NodeSet', 'omitempty'],
  ],
  NodeSet: [
    ['Name', 'name', 'string'],
    ['Replicas', 'replicas', 'int'],
    ['Generation', 'generation', 'int', 'omitempty'],
    ['NodeSettings', 'nodeSettings', 'NodeSettingsSpec', 'omitempty'],
    ['OperatingSystem', 'operatingSystem', 'OperatingSystemName'],
    ['OperatingSystemSpec', 'operatingSystemSpec', 'OperatingSystemSpec', 'omitempty'],
    ['SSH', 'ssh', 'SSHSpec'],
    ['CloudProviderSpec', 'cloudProviderSpec', 'json.RawMessage'],
  ],
  NodeSettingsSpec: [
    ['Labels', 'labels', 'map[string]string', 'omitempty'],
    ['Annotations', 'annotations', 'map[string]string', 'omitempty'],
    ['Taints', 'taints', '[]v1.Taint', 'omitempty'],
  ],
  OperatingSystemSpec: [['DistUpgradeOnBoot', 'distUpgradeOnBoot', 'bool', 'omitempty']],
  SSHSpec: [
    ['PublicKeys', 'publicKeys', '[]string', 'omitempty'],
    ['Port', 'port', 'int', 'omitempty'],
    ['Username', 'username', 'string', 'omitempty'],
    ['PrivateKeyFile', 'privateKeyFile', 'string', 'omitempty'],
    ['CertFile', 'certFile', 'string', 'omitempty'],
    ['HostPublicKey', 'hostPublicKey', '[]byte', 'omitempty'],
    ['AgentSocket', 'agentSocket', 'string', 'omitempty'],
    ['Bastion', 'bastion', 'string', 'omitempty'],
    ['BastionPort', 'bastionPort', 'int', 'omitempty'],
    ['BastionUser', 'bastionUser', 'string', 'omitempty'],
    ['BastionHostPublicKey', 'bastionHostPublicKey', '[]byte', 'omitempty'],
  ],
  StaticWorkersConfig: [['Hosts', 'hosts', '[]HostConfig', 'omitempty']],
  KubeletConfig: [
    ['SystemReserved', 'systemReserved', 'map[string]string', 'omitempty'],
    ['KubeReserved', 'kubeReserved', 'map[string]string', 'omitempty'],
    ['EvictionHard', 'evictionHard', 'map[string]string', 'omitempty'],
    ['MaxPods', 'maxPods', '*int32', 'omitempty'],
    ['PodPidsLimit', 'podPidsLimit', '*int64', 'omitempty'],
    ['ImageGCHighThresholdPercent', 'imageGCHighThresholdPercent', '*int32', 'omitempty'],
    ['ImageGCLowThresholdPercent', 'imageGCLowThresholdPercent', '*int32', 'omitempty'],
    ['ImageMinimumGCAge', 'imageMinimumGCAge', 'v1.Duration', 'omitempty'],
    ['ImageMaximumGCAge', 'imageMaximumGCAge', 'v1.Duration', 'omitempty'],
  ],
  APIEndpoint: [
    ['Host', 'host', 'string'],
    ['Port', 'port', 'int', 'omitempty'],
    ['AlternativeNames', 'alternativeNames', '[]string', 'omitempty'],
  ],
  CloudProviderSpec: [
    ['External', 'external', 'bool', 'omitempty'],
    ['DisableBundledCSIDrivers', 'disableBundledCSIDrivers', 'bool'],
    ['CloudConfig', 'cloudConfig', 'string', 'omitempty'],
    ['CSIConfig', 'csiConfig', 'string', 'omitempty'],
    ['SecretProviderClassName', 'secretProviderClassName', 'string', 'omitempty'],
    ['AWS', 'aws', '*AWSSpec', 'omitempty'],
    ['Azure', 'azure', '*AzureSpec', 'omitempty'],
    ['DigitalOcean', 'digitalocean', '*DigitalOceanSpec', 'omitempty'],
    ['GCE', 'gce', '*GCESpec', 'omitempty'],
    ['Hetzner', 'hetzner', '*HetznerSpec', 'omitempty'],
    ['Kubevirt', 'kubevirt', '*KubevirtSpec', 'omitempty'],
    ['Nutanix', 'nutanix', '*NutanixSpec', 'omitempty'],
    ['Openstack', 'openstack', '*OpenstackSpec', 'omitempty'],
    ['EquinixMetal', 'equinixmetal', '*EquinixMetalSpec', 'omitempty'],
    ['VMwareCloudDirector', 'vmwareCloudDirector', '*VMwareCloudDirectorSpec', 'omitempty'],
    ['Vsphere', 'vsphere', '*VsphereSpec', 'omitempty'],
    ['None', 'none', '*NoneSpec', 'omitempty'],
  ],
  AWSSpec: [],
  AzureSpec: [],
  DigitalOceanSpec: [],
  GCESpec: [],
  NutanixSpec: [],
  EquinixMetalSpec: [],
  VsphereSpec: [],
  NoneSpec: [],
  HetznerSpec: [
    ['NetworkID', 'networkID', 'string', 'omitempty'],
    ['ControlPlane', 'controlPlane', '*HetznerControlPlane', 'omitempty'],
  ],
  HetznerControlPlane: [['LoadBalancer', 'loadBalancer', 'HetznerLoadBalancer']],
  HetznerLoadBalancer: [
    ['Name', 'name', 'string', 'omitempty'],
    ['Type', 'type', 'string', 'omitempty'],
    ['Location', 'location', 'string', 'omitempty'],
    ['PublicIP', 'publicIP', '*bool', 'omitempty'],
    ['Labels', 'labels', 'map[string]string', 'omitempty'],
  ],
  KubevirtSpec: [
    ['InfraNamespace', 'infraNamespace', 'string'],
    ['ZoneAndRegionEnabled', 'zoneAndRegionEnabled', 'bool', 'omitempty'],
    ['LoadBalancerEnabled', 'loadBalancerEnabled', 'bool', 'omitempty'],
    ['ControlPlane', 'controlPlane', '*KubevirtControlPlane', 'omitempty'],
  ],
  KubevirtControlPlane: [['LoadBalancer', 'loadBalancer', 'KubevirtLoadBalancer']],
  KubevirtLoadBalancer: [
    ['Name', 'name', 'string', 'omitempty'],
    ['ServiceType', 'serviceType', 'v1.ServiceType', 'omitempty'],
    ['Annotations', 'annotations', 'map[string]string', 'omitempty'],
  ],
  OpenstackSpec: [['ControlPlane', 'controlPlane', '*OpenstackControlPlane', 'omitempty']],
  OpenstackControlPlane: [['LoadBalancer', 'loadBalancer', 'OpenstackLoadBalancer']],
  OpenstackLoadBalancer: [
    ['Name', 'name', 'string', 'omitempty'],
    ['PoolID', 'poolID', 'string', 'omitempty'],
  ],
  VMwareCloudDirectorSpec: [
    ['VApp', 'vApp', 'string', 'omitempty'],
    ['StorageProfile', 'storageProfile', 'string'],
  ],
  VersionConfig: [['Kubernetes', 'kubernetes', 'string']],
  ClusterNetworkConfig: [
    ['PodSubnet', 'podSubnet', 'string', 'omitempty'],
    ['PodSubnetIPv6', 'podSubnetIPv6', 'string', 'omitempty'],
    ['ServiceSubnet', 'serviceSubnet', 'string', 'omitempty'],
    ['ServiceSubnetIPv6', 'serviceSubnetIPv6', 'string', 'omitempty'],
    ['ServiceDomainName', 'serviceDomainName', 'string', 'omitempty'],
    ['NodePortRange', 'nodePortRange', 'string', 'omitempty'],
    ['CNI', 'cni', '*CNI', 'omitempty'],
    ['KubeProxy', 'kubeProxy', '*KubeProxyConfig', 'omitempty'],
    ['IPFamily', 'ipFamily', 'IPFamily', 'omitempty'],
    ['NodeCIDRMaskSizeIPv4', 'nodeCIDRMaskSizeIPv4', '*int', 'omitempty'],
    ['NodeCIDRMaskSizeIPv6', 'nodeCIDRMaskSizeIPv6', '*int', 'omitempty'],
  ],
  KubeProxyConfig: [
    ['SkipInstallation', 'skipInstallation', 'bool'],
    ['IPVS', 'ipvs', '*IPVSConfig'],
    ['IPTables', 'iptables', '*IPTables'],
  ],
  IPVSConfig: [
    ['Scheduler', 'scheduler', 'string'],
    ['ExcludeCIDRs', 'excludeCIDRs', '[]string'],
    ['StrictARP', 'strictARP', 'bool'],
    ['TCPTimeout', 'tcpTimeout', 'v1.Duration'],
    ['TCPFinTimeout', 'tcpFinTimeout', 'v1.Duration'],
    ['UDPTimeout', 'udpTimeout', 'v1.Duration'],
  ],
  IPTables: [],
  CNI: [
    ['Canal', 'canal', '*CanalSpec', 'omitempty'],
    ['Cilium', 'cilium', '*CiliumSpec', 'omitempty'],
    ['WeaveNet', 'weaveNet', '*WeaveNetSpec', 'omitempty'],
    ['External', 'external', '*ExternalCNISpec', 'omitempty'],
  ],
  CanalSpec: [['MTU', 'mtu', 'int', 'omitempty']],
  CiliumSpec: [
    ['KubeProxyReplacement', 'kubeProxyReplacement', 'bool'],
    ['EnableHubble', 'enableHubble', 'bool'],
    ['EnableL2Announcements', 'enableL2Announcements', 'bool'],
    ['EnableGatewayAPI', 'enableGatewayAPI', 'bool'],
    ['EnableLocalRedirectPolicy', 'enableLocalRedirectPolicy', 'bool'],
  ],
  WeaveNetSpec: [['Encrypted', 'encrypted', 'bool', 'omitempty']],
  ExternalCNISpec: [],
  ProxyConfig: [
    ['HTTP', 'http', 'string', 'omitempty'],
    ['HTTPS', 'https', 'string', 'omitempty'],
    ['NoProxy', 'noProxy', 'string', 'omitempty'],
  ],
  DynamicWorkerConfig: [
    ['Name', 'name', 'string'],
    ['Replicas', 'replicas', '*int'],
    ['Config', 'providerSpec', 'ProviderSpec'],
  ],
  ProviderSpec: [
    ['CloudProviderSpec', 'cloudProviderSpec', 'json.RawMessage'],
    ['Annotations', 'annotations', 'map[string]string', 'omitempty'],
    ['NodeAnnotations', 'nodeAnnotations', 'map[string]string', 'omitempty'],
    ['MachineObjectAnnotations', 'machineObjectAnnotations', 'map[string]string', 'omitempty'],
    ['Labels', 'labels', 'map[string]string', 'omitempty'],
    ['Taints', 'taints', '[]v1.Taint', 'omitempty'],
    ['SSHPublicKeys', 'sshPublicKeys', '[]string', 'omitempty'],
    ['OperatingSystem', 'operatingSystem', 'string'],
    ['OperatingSystemSpec', 'operatingSystemSpec', 'json.RawMessage', 'omitempty'],
    ['Network', 'network', '*ProviderStaticNetworkConfig', 'omitempty'],
    ['OverwriteCloudConfig', 'overwriteCloudConfig', '*string', 'omitempty'],
  ],
  DNSConfig: [['Servers', 'servers', '[]string']],
  ProviderStaticNetworkConfig: [
    ['CIDR', 'cidr', 'string'],
    ['Gateway', 'gateway', 'string'],
    ['DNS', 'dns', 'DNSConfig'],
    ['IPFamily', 'ipFamily', 'IPFamily'],
  ],
  MachineControllerConfig: [['Deploy', 'deploy', 'bool', 'omitempty']],
  OperatingSystemManagerConfig: [
    ['Deploy', 'deploy', 'bool', 'omitempty'],
    ['EnableNonRootDeviceOwnership', 'enableNonRootDeviceOwnership', 'bool', 'omitempty'],
  ],
  SystemPackages: [['ConfigureRepositories', 'configureRepositories', 'bool', 'omitempty']],
  AssetConfiguration: [
    ['Kubernetes', 'kubernetes', 'ImageAsset', 'omitempty'],
    ['Pause', 'pause', 'ImageAsset', 'omitempty'],
    ['CoreDNS', 'coreDNS', 'ImageAsset', 'omitempty'],
    ['Etcd', 'etcd', 'ImageAsset', 'omitempty'],
    ['MetricsServer', 'metricsServer', 'ImageAsset', 'omitempty'],
    ['CNI', 'cni', 'BinaryAsset', 'omitempty'],
    ['NodeBinaries', 'nodeBinaries', 'BinaryAsset', 'omitempty'],
    ['Kubectl', 'kubectl', 'BinaryAsset', 'omitempty'],
  ],
  ImageAsset: [
    ['ImageRepository', 'imageRepository', 'string', 'omitempty'],
    ['ImageTag', 'imageTag', 'string', 'omitempty'],
  ],
  BinaryAsset: [['URL', 'url', 'string', 'omitempty']],
  RegistryConfiguration: [
    ['OverwriteRegistry', 'overwriteRegistry', 'string', 'omitempty'],
    ['InsecureRegistry', 'insecureRegistry', 'bool', 'omitempty'],
  ],
  Features: [
    ['CoreDNS', 'coreDNS', '*CoreDNS', 'omitempty'],
    ['AlwaysPullImages', 'alwaysPullImages', '*AlwaysPullImages', 'omitempty'],
    ['EventRateLimit', 'eventRateLimit', '*EventRateLimit', 'omitempty'],
    ['PodNodeSelector', 'podNodeSelector', '*PodNodeSelector', 'omitempty'],
    ['StaticAuditLog', 'staticAuditLog', '*StaticAuditLog', 'omitempty'],
    ['DynamicAuditLog', 'dynamicAuditLog', '*DynamicAuditLog', 'omitempty'],
    ['WebhookAuditLog', 'webhookAuditLog', '*WebhookAuditLog', 'omitempty'],
    ['MetricsServer', 'metricsServer', '*MetricsServer', 'omitempty'],
    ['OpenIDConnect', 'openidConnect', '*OpenIDConnect', 'omitempty'],
    ['EncryptionProviders', 'encryptionProviders', '*EncryptionProviders', 'omitempty'],
    ['NodeLocalDNS', 'nodeLocalDNS', '*NodeLocalDNS', 'omitempty'],
  ],
  NodeLocalDNS: [['Deploy', 'deploy', 'bool', 'omitempty']],
  CoreDNS: [
    ['Replicas', 'replicas', '*int32', 'omitempty'],
    ['DeployPodDisruptionBudget', 'deployPodDisruptionBudget', '*bool', 'omitempty'],
    ['ImageRepository', 'imageRepository', 'string', 'omitempty'],
  ],
  AlwaysPullImages: [['Enable', 'enable', 'bool', 'omitempty']],
  EventRateLimit: [
    ['Enable', 'enable', 'bool', 'omitempty'],
    ['Config', 'config', 'EventRateLimitConfig'],
  ],
  EventRateLimitConfig: [['ConfigFilePath', 'configFilePath', 'string']],
  PodNodeSelector: [
    ['Enable', 'enable', 'bool', 'omitempty'],
    ['Config', 'config', 'PodNodeSelectorConfig'],
  ],
  PodNodeSelectorConfig: [['ConfigFilePath', 'configFilePath', 'string']],
  StaticAuditLog: [
    ['Enable', 'enable', 'bool', 'omitempty'],
    ['Config', 'config', 'StaticAuditLogConfig'],
  ],
  StaticAuditLogConfig: [
    ['PolicyFilePath', 'policyFilePath', 'string'],
    ['LogPath', 'logPath', 'string', 'omitempty'],
    ['LogMaxAge', 'logMaxAge', 'int', 'omitempty'],
    ['LogMaxBackup', 'logMaxBackup', 'int', 'omitempty'],
    ['LogMaxSize', 'logMaxSize', 'int', 'omitempty'],
  ],
  WebhookAuditLog: [
    ['Enable', 'enable', 'bool', 'omitempty'],
    ['Config', 'config', 'WebhookAuditLogConfig'],
  ],
  WebhookAuditLogConfig: [
    ['PolicyFilePath', 'policyFilePath', 'string'],
    ['ConfigFilePath', 'configFilePath', 'string'],
    ['InitialBackOff', 'initialBackOff', 'v1.Duration', 'omitempty'],
    ['Mode', 'mode', 'WebhookMode', 'omitempty'],
    ['Version', 'version', 'string', 'omitempty'],
    ['Batch', 'batch', 'WebHookAuditLogBatchConfig', 'omitempty'],
    ['Truncate', 'truncate', 'WebHookAuditLogTruncateConfig', 'omitempty'],
  ],
  WebHookAuditLogBatchConfig: [
    ['BufferSize', 'bufferSize', 'int', 'omitempty'],
    ['MaxSize', 'maxSize', 'int', 'omitempty'],
    ['MaxWait', 'maxWait', 'v1.Duration', 'omitempty'],
    ['Throttle', 'throttle', 'WebHookAuditLogThrottleConfig', 'omitempty'],
  ],
  WebHookAuditLogThrottleConfig: [
    ['Disable', 'disable', 'bool', 'omitempty'],
    ['Burst', 'burst', 'int', 'omitempty'],
    ['QPS', 'QPS', 'float32', 'omitempty'],
  ],
  WebHookAuditLogTruncateConfig: [
    ['Enable', 'enable', 'bool', 'omitempty'],
    ['MaxBatchSize', 'maxBatchSize', 'int', 'omitempty'],
    ['MaxEventSize', 'maxEventSize', 'int', 'omitempty'],
  ],
  DynamicAuditLog: [['Enable', 'enable', 'bool', 'omitempty']],
  MetricsServer: [['Enable', 'enable', 'bool', 'omitempty']],
  OpenIDConnect: [
    ['Enable', 'enable', 'bool', 'omitempty'],
    ['Config', 'config', 'OpenIDConnectConfig'],
  ],
  OpenIDConnectConfig: [
    ['IssuerURL', 'issuerUrl', 'string'],
    ['ClientID', 'clientId', 'string', 'omitempty'],
    ['UsernameClaim', 'usernameClaim', 'string', 'omitempty'],
    ['UsernamePrefix', 'usernamePrefix', 'string', 'omitempty'],
    ['GroupsClaim', 'groupsClaim', 'string', 'omitempty'],
    ['GroupsPrefix', 'groupsPrefix', 'string', 'omitempty'],
    ['RequiredClaim', 'requiredClaim', 'string'],
    ['SigningAlgs', 'signingAlgs', 'string', 'omitempty'],
    ['CAFile', 'caFile', 'string'],
  ],
  Addon: [
    ['Name', 'name', 'string'],
    ['Params', 'params', 'map[string]string', 'omitempty'],
    ['DisableTemplating', 'disableTemplating', 'bool', 'omitempty'],
    ['Delete', 'delete', 'bool', 'omitempty'],
  ],
  AddonRef: [
    ['Addon', 'addon', '*Addon', 'omitempty'],
    ['HelmRelease', 'helmRelease', '*HelmRelease', 'omitempty'],
  ],
  Addons: [
    ['Path', 'path', 'string', 'omitempty'],
    ['Addons', 'addons', '[]AddonRef', 'omitempty'],
  ],
  EncryptionProviders: [
    ['Enable', 'enable', 'bool'],
    ['CustomEncryptionConfiguration', 'customEncryptionConfiguration', 'string'],
  ],
};

/** Types of other packages that KubeOne's types embed. */
const FOREIGN: Record<string, FieldSpec[]> = {
  'v1.TypeMeta': [
    ['Kind', 'kind', 'string', 'omitempty'],
    ['APIVersion', 'apiVersion', 'string', 'omitempty'],
  ],
  'v1.Taint': [
    ['Key', 'key', 'string'],
    ['Value', 'value', 'string', 'omitempty'],
    ['Effect', 'effect', 'v1.TaintEffect'],
    ['TimeAdded', 'timeAdded', '*v1.Time', 'omitempty'],
  ],
};

/** Named string types and their methods. */
const NAMED_STRINGS = new Set(['kubeone.IPFamily', 'kubeone.OperatingSystemName', 'kubeone.EtcdAutoCompactionMode', 'kubeone.WebhookMode', 'v1.ServiceType', 'v1.TaintEffect']);

function goType(spec: string): string {
  const prefix = /^(\*|\[\]|map\[string\])*/.exec(spec)![0];
  const base = spec.slice(prefix.length);
  if (SCHEMA[base] || ['IPFamily', 'OperatingSystemName', 'EtcdAutoCompactionMode', 'WebhookMode'].includes(base)) return `${prefix}kubeone.${base}`;
  return spec === '[]byte' ? '[]uint8' : spec;
}

// ------------------------------------------------------------------------------ methods

const method = (params: string[], call: Method['call']): Method => ({ params, call });
const str = (v: GoValue): string => (v instanceof Scalar ? String(v.value) : typeof v === 'string' ? v : '');
const field = (s: GoValue, name: string): GoValue => (s instanceof GoStruct ? (s.values.get(name) ?? null) : null);
const isSet = (v: GoValue): boolean => v instanceof GoStruct;

const IPFAMILY_METHODS = new Map<string, Method>([
  ['IsDualstack', method([], (r) => str(r) === 'IPv4+IPv6' || str(r) === 'IPv6+IPv4')],
  ['IsIPv6Primary', method([], (r) => str(r) === 'IPv6' || str(r) === 'IPv6+IPv4')],
]);

const OS_METHODS = new Map<string, Method>([['IsValid', method([], (r) => ['ubuntu', 'debian', 'centos', 'rhel', 'rockylinux', 'flatcar', ''].includes(str(r)))]]);

function cloudProviderName(p: GoValue): string {
  const order: [string, string][] = [
    ['AWS', 'aws'], ['Azure', 'azure'], ['DigitalOcean', 'digitalocean'], ['GCE', 'gce'], ['Hetzner', 'hetzner'], ['Kubevirt', 'kubevirt'],
    ['Nutanix', 'nutanix'], ['Openstack', 'openstack'], ['EquinixMetal', 'equinixmetal'], ['Vsphere', 'vsphere'], ['VMwareCloudDirector', 'vmwareCloudDirector'], ['None', 'none'],
  ];
  return order.find(([f]) => isSet(field(p, f)))?.[1] ?? '';
}

/** ClusterNetworkConfig.NthServiceSubnetIP: the n-th address of the service subnet's network (0 is the network address). */
export function nthServiceSubnetIP(subnet: string, n: number): string {
  const [addr = '', bits = ''] = subnet.trim().split('/');
  if (addr.includes(':')) {
    const parts = addr.split('::');
    const head = parts[0] ? parts[0].split(':') : [];
    const tail = parts[1] ? parts[1].split(':') : [];
    const groups = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail].map((g) => BigInt(`0x${g || '0'}`));
    const prefix = BigInt(bits === '' ? 128 : Number(bits));
    const mask = ((1n << 128n) - 1n) ^ ((1n << (128n - prefix)) - 1n);
    let v = (groups.reduce((acc, g) => (acc << 16n) | g, 0n) & mask) + BigInt(n);
    const out: string[] = [];
    for (let i = 0; i < 8; i++, v >>= 16n) out.unshift((v & 0xffffn).toString(16));
    return compressIPv6(out);
  }
  const b = addr.split('.').map(Number);
  if (b.length !== 4 || b.some((x) => !Number.isInteger(x))) return '';
  const prefix = bits === '' ? 32 : Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const v = ((((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) & mask) >>> 0) + n;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

function compressIPv6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i >= 2) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function machineControllerFlags(crc: GoValue): string[] {
  const containerd = field(crc, 'Containerd');
  const regs = field(containerd, 'Registries');
  if (!(regs instanceof GoMap)) return [];
  const flags: string[] = [];
  const insecure: string[] = [];
  let creds = false;
  for (const name of regs.sortedKeys()) {
    const reg = regs.entries.get(name)!;
    if (field(field(reg, 'TLSConfig'), 'InsecureSkipVerify') === true) insecure.push(name);
    for (const m of (field(reg, 'Mirrors') as GoValue[] | null) ?? []) {
      let mirror = m as string;
      if (field(reg, 'OverridePath') === true) {
        const u = new URL(mirror);
        u.searchParams.append('kubermatic', 'override_path=true');
        mirror = u.toString();
      }
      flags.push(`-node-containerd-registry-mirrors=${name}=${mirror}`);
    }
    if (isSet(field(reg, 'Auth'))) creds = true;
  }
  if (creds) flags.push('-node-registry-credentials-secret=kube-system/kubeone-registry-credentials');
  if (insecure.length) flags.push(`-node-insecure-registries=${[...insecure].sort().join(',')}`);
  return flags;
}

function hostsOf(cluster: GoValue, list: 'ControlPlane' | 'StaticWorkers'): GoValue[] {
  return (field(field(cluster, list), 'Hosts') as GoValue[] | null) ?? [];
}

function methodsFor(manifestPath: string): Record<string, Map<string, Method>> {
  return {
    KubeOneCluster: new Map([
      ['Leader', method([], (r) => {
        const leader = hostsOf(r, 'ControlPlane').find((h) => field(h, 'IsLeader') === true);
        if (!leader) throw new Error('leader: not found');
        return leader;
      })],
      ['RandomHost', method([], (r) => {
        const hosts = hostsOf(r, 'ControlPlane');
        if (!hosts.length) throw new Error('invalid argument to Int31n');
        return hosts[Math.floor(Math.random() * hosts.length)]!;
      })],
      ['Followers', method([], (r) => markSlice(hostsOf(r, 'ControlPlane').filter((h) => field(h, 'IsLeader') !== true), '[]kubeone.HostConfig'))],
      ['IsManagedNode', method(['string'], (r, [name]) => [...hostsOf(r, 'ControlPlane'), ...hostsOf(r, 'StaticWorkers')].some((h) => field(h, 'Hostname') === name))],
    ]),
    ContainerRuntimeConfig: new Map([
      ['MachineControllerFlags', method([], (r) => markSlice(machineControllerFlags(r), '[]string'))],
      ['String', method([], () => 'containerd')],
      ['ConfigPath', method([], () => '/etc/containerd/config.toml')],
      ['CRISocket', method([], () => '/run/containerd/containerd.sock')],
    ]),
    VersionConfig: new Map([
      ['SandboxImage', method(['func(string) string'], () => '')],
      ['KubernetesMajorMinorVersion', method([], (r) => {
        const v = parseVersion(str(field(r, 'Kubernetes')));
        return `v${v.major}.${v.minor}`;
      })],
    ]),
    CloudProviderSpec: new Map([
      ['CloudProviderName', method([], (r) => cloudProviderName(r))],
      ['MachineControllerCloudProvider', method([], (r) => (isSet(field(r, 'VMwareCloudDirector')) ? 'vmware-cloud-director' : cloudProviderName(r)))],
    ]),
    RegistryConfiguration: new Map([
      ['ImageRegistry', method(['string'], (r, [def]) => (r instanceof GoStruct && str(field(r, 'OverwriteRegistry')) ? str(field(r, 'OverwriteRegistry')) : (def as string)))],
      ['InsecureRegistryAddress', method([], (r) => (r instanceof GoStruct && field(r, 'InsecureRegistry') === true ? str(field(r, 'OverwriteRegistry')) : ''))],
    ]),
    Addons: new Map([
      ['Enabled', method([], (r) => r instanceof GoStruct && (str(field(r, 'Path')) !== '' || ((field(r, 'Addons') as GoValue[] | null) ?? []).length > 0))],
      ['DeclaredAddonsOnly', method([], (r) => {
        if (!(r instanceof GoStruct)) return markSlice([], '[]kubeone.Addon', true);
        const refs = (field(r, 'Addons') as GoValue[] | null) ?? [];
        const out = refs.map((ref) => field(ref, 'Addon')).filter(isSet).map((a) => new GoStruct((a as GoStruct).type, (a as GoStruct).values));
        return markSlice(out, '[]kubeone.Addon', out.length === 0);
      })],
      ['OnlyHelmReleases', method([], (r) => {
        if (!(r instanceof GoStruct)) return markSlice([], '[]kubeone.HelmRelease', true);
        const refs = (field(r, 'Addons') as GoValue[] | null) ?? [];
        const out = refs.map((ref) => field(ref, 'HelmRelease')).filter(isSet).map((a) => new GoStruct((a as GoStruct).type, (a as GoStruct).values));
        return markSlice(out, '[]kubeone.HelmRelease', out.length === 0);
      })],
      ['RelativePath', method(['string'], (r, [manifest]) => {
        const p = str(field(r, 'Path'));
        const m = (manifest as string) || manifestPath;
        return !isAbsolute(p) && m ? join(resolve(dirname(m)), p) : p;
      })],
    ]),
    ClusterNetworkConfig: new Map([
      ['HasIPv4', method([], (r) => ['IPv4', 'IPv4+IPv6', 'IPv6+IPv4'].includes(str(field(r, 'IPFamily'))))],
      ['HasIPv6', method([], (r) => ['IPv6', 'IPv4+IPv6', 'IPv6+IPv4'].includes(str(field(r, 'IPFamily'))))],
      ['NthServiceSubnetIP', method(['int'], (r, [n]) => nthServiceSubnetIP(str(field(r, 'ServiceSubnet')), n as number))],
    ]),
  };
}

// ------------------------------------------------------------------------------ conversion

const DURATION_TYPE: StructType = {
  name: 'v1.Duration',
  fields: [{ name: 'Duration', json: 'Duration', omitempty: false, type: 'time.Duration' }],
  stringer: (v) => formatDuration(Number((v.values.get('Duration') as Scalar).value)),
  toJSON: (v) => formatDuration(Number((v.values.get('Duration') as Scalar).value)),
};

function duration(text: unknown): GoStruct {
  let ns = 0;
  if (typeof text === 'string' && text) {
    try {
      ns = parseDuration(text);
    } catch {
      ns = 0;
    }
  }
  return new GoStruct(DURATION_TYPE, [['Duration', new Scalar('time.Duration', 'int', ns)]]);
}

class Converter {
  private readonly types = new Map<string, StructType>();
  constructor(private readonly methods: Record<string, Map<string, Method>>) {}

  structType(name: string): StructType | undefined {
    const local = name.startsWith('kubeone.') ? name.slice(8) : undefined;
    const spec = local ? SCHEMA[local] : FOREIGN[name];
    if (!spec) return name === 'v1.Duration' ? DURATION_TYPE : undefined;
    let t = this.types.get(name);
    if (t) return t;
    const fields: StructField[] = spec.map(([n, json, type, flags]) => ({
      name: n,
      json: flags === 'embedded' ? '' : json,
      omitempty: flags === 'omitempty',
      type: goType(type),
      ...(flags === 'embedded' ? { embedded: true } : {}),
    }));
    t = {
      name,
      fields,
      ...(local && this.methods[local] ? { methods: this.methods[local] } : {}),
      ...(local === 'ContainerRuntimeConfig' ? { stringer: () => 'containerd' } : {}),
    };
    this.types.set(name, t);
    return t;
  }

  /** Converts a JSON value (the manifest's shape) to a Go value of `type`. */
  value(type: string, v: unknown): GoValue {
    if (type.startsWith('*')) {
      const elem = type.slice(1);
      if (v === undefined || v === null) return new NilPointer(type, this.structType(elem));
      const inner = this.value(elem, v);
      if (inner instanceof GoStruct) return new GoStruct(inner.type, inner.values, true);
      return inner; // pointers to scalars read as their value (see docs/addons.md)
    }
    if (type === '[]uint8') return markSlice(typeof v === 'string' && v ? [...Buffer.from(v, 'utf8')] : [], '[]uint8', !v);
    if (type === 'json.RawMessage') return markSlice(v === undefined || v === null ? [] : [...Buffer.from(JSON.stringify(v), 'utf8')], 'json.RawMessage', v === undefined || v === null);
    if (type.startsWith('[]')) {
      const elem = type.slice(2);
      if (!Array.isArray(v)) return markSlice([], type, true);
      return markSlice(v.map((x) => this.value(elem, x)), type);
    }
    if (type.startsWith('map[string]')) {
      const elem = type.slice(11);
      if (v === undefined || v === null || typeof v !== 'object') return new GoMap(type, [], true);
      return new GoMap(type, Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, this.value(elem, x)]));
    }
    switch (type) {
      case 'string':
        return typeof v === 'string' ? v : '';
      case 'bool':
        return v === true;
      case 'int':
        return typeof v === 'number' ? v : 0;
      case 'int32':
      case 'int64':
        return new Scalar(type, 'int', typeof v === 'number' ? v : 0);
      case 'float32':
        return new Scalar(type, 'float', typeof v === 'number' ? v : 0);
      case 'v1.Duration':
        return duration(v);
      case 'v1.Time':
        return typeof v === 'string' ? v : '';
    }
    if (NAMED_STRINGS.has(type)) {
      const methods = type === 'kubeone.IPFamily' ? IPFAMILY_METHODS : type === 'kubeone.OperatingSystemName' ? OS_METHODS : undefined;
      return new Scalar(type, 'string', typeof v === 'string' ? v : '', methods);
    }
    const st = this.structType(type);
    if (!st) return zeroOf(type);
    const obj = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
    const spec = type.startsWith('kubeone.') ? SCHEMA[type.slice(8)]! : FOREIGN[type]!;
    return new GoStruct(
      st,
      spec.map(([name, json, ft, flags]) => [name, flags === 'embedded' ? this.value(goType(ft), obj) : this.value(goType(ft), json === '-' ? obj[`__${name}`] : obj[json])]),
    );
  }
}

/** The manifest in the shape of KubeOne's internal API (the JSON the Go struct would decode). */
function internalShape(c: KubeOneCluster): Record<string, unknown> {
  const out = structuredClone(c) as unknown as Record<string, unknown>;
  // Hosts carry an ID (json "-"): control planes first, then static workers.
  const cp = (c.controlPlane?.hosts ?? []).map((h, i) => ({ ...h, __ID: i }));
  const sw = (c.staticWorkers?.hosts ?? []).map((h, i) => ({ ...h, __ID: cp.length + i }));
  if (c.controlPlane) out.controlPlane = { ...c.controlPlane, ...(c.controlPlane.hosts ? { hosts: cp } : {}) };
  if (c.staticWorkers) out.staticWorkers = { ...c.staticWorkers, ...(c.staticWorkers.hosts ? { hosts: sw } : {}) };
  // Cilium's kubeProxyReplacement is a bool inside KubeOne ("strict" in v1beta2).
  const cilium = c.clusterNetwork?.cni?.cilium;
  if (cilium) {
    out.clusterNetwork = { ...c.clusterNetwork, cni: { ...c.clusterNetwork!.cni, cilium: { ...cilium, kubeProxyReplacement: cilium.kubeProxyReplacement === 'strict' } } };
  }
  // v1beta2 addons and helmReleases become one list of AddonRefs; enable and globalParams do not exist there.
  const refs = [...(c.addons?.addons ?? []).map((a) => ({ addon: a })), ...(c.helmReleases ?? []).map((h) => ({ helmRelease: h }))];
  out.addons = c.addons || refs.length ? { ...(c.addons?.path ? { path: c.addons.path } : {}), ...(refs.length ? { addons: refs } : {}) } : undefined;
  delete out.helmReleases;
  delete out.kubernetesBinaries;
  // DefaultAssetConfiguration: image repositories from features.coreDNS.imageRepository and overwriteRegistry.
  const overwrite = c.registryConfiguration?.overwriteRegistry ?? '';
  const coreDNSRepo = c.features?.coreDNS?.imageRepository || overwrite;
  out.assetConfiguration = {
    ...(overwrite ? { kubernetes: { imageRepository: overwrite }, etcd: { imageRepository: overwrite }, metricsServer: { imageRepository: overwrite } } : {}),
    ...(coreDNSRepo ? { coreDNS: { imageRepository: coreDNSRepo } } : {}),
  };
  return out;
}

/** `.Config`: *kubeone.KubeOneCluster for the (defaulted) cluster. */
export function configView(c: KubeOneCluster, manifestPath = ''): GoStruct {
  const conv = new Converter(methodsFor(manifestPath));
  return conv.value('*kubeone.KubeOneCluster', internalShape(c)) as GoStruct;
}

/** Builds a Go value of a KubeOne type from its JSON shape (for other template data). */
export function kubeoneValue(type: string, v: unknown): GoValue {
  return new Converter(methodsFor('')).value(type, v);
}

/** KubeOne's defaulting (a no-op on an already defaulted manifest): what addon selection and templates read. */
export function withAddonDefaults(c: KubeOneCluster): KubeOneCluster {
  return applyDefaults(c);
}

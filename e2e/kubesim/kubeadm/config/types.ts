// Defaulted, internal form of the kubeadm v1beta4 configuration the simulator acts on.
export interface Arg {
  name: string;
  value: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface NodeRegistration {
  name: string;
  criSocket: string;
  taints: Taint[];
  kubeletExtraArgs: Arg[];
  ignorePreflightErrors: string[];
  imagePullPolicy: string;
}

export interface ApiEndpoint {
  advertiseAddress: string;
  bindPort: number;
}

export interface BootstrapTokenSpec {
  token: string;
  description?: string;
  ttlMs?: number;
  expires?: string;
  usages: string[];
  groups: string[];
}

export interface EnvVar {
  name: string;
  value?: string;
}

export interface ControlPlaneComponent {
  extraArgs: Arg[];
  extraVolumes: Array<Record<string, unknown>>;
  extraEnvs: EnvVar[];
}

export interface ClusterConfig {
  kubernetesVersion: string;
  controlPlaneEndpoint: string;
  certificatesDir: string;
  imageRepository: string;
  clusterName: string;
  encryptionAlgorithm: string;
  certificateValidityPeriod: string;
  caCertificateValidityPeriod: string;
  networking: { serviceSubnet: string; podSubnet?: string; dnsDomain: string };
  etcd: {
    local?: { dataDir: string; extraArgs: Arg[]; extraEnvs: EnvVar[]; serverCertSANs: string[]; peerCertSANs: string[]; imageRepository?: string; imageTag?: string };
    external?: { endpoints: string[]; caFile?: string; certFile?: string; keyFile?: string };
  };
  apiServer: ControlPlaneComponent & { certSANs: string[] };
  controllerManager: ControlPlaneComponent;
  scheduler: ControlPlaneComponent;
  dns: { disabled?: boolean; imageRepository?: string; imageTag?: string };
  proxy: { disabled?: boolean };
  featureGates?: Record<string, boolean>;
}

export interface InitConfig {
  nodeRegistration: NodeRegistration;
  localAPIEndpoint: ApiEndpoint;
  bootstrapTokens: BootstrapTokenSpec[];
  skipPhases: string[];
  cluster: ClusterConfig;
  kubelet: Record<string, unknown>;
  kubeProxy: Record<string, unknown>;
}

export interface JoinConfig {
  nodeRegistration: NodeRegistration;
  caCertPath: string;
  discovery: {
    bootstrapToken?: { token: string; apiServerEndpoint: string; caCertHashes: string[]; unsafeSkipCAVerification: boolean };
    file?: { kubeConfigPath: string };
    tlsBootstrapToken: string;
  };
  controlPlane?: { localAPIEndpoint: ApiEndpoint; certificateKey?: string };
  skipPhases: string[];
}

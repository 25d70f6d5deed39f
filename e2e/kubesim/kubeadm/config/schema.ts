// Field schemas of the configuration kinds kubeadm v1.34-1.36 reads, used for
// strict decoding (unknown and mistyped fields are errors). Nested structs that
// the simulator does not interpret are 'any'.
export type Schema =
  | 'string'
  | 'int'
  | 'bool'
  | 'number'
  | 'any'
  | { fields: Record<string, Schema> }
  | { list: Schema }
  | { map: Schema };

const obj = (fields: Record<string, Schema>): Schema => ({ fields });
const list = (item: Schema): Schema => ({ list: item });
const map = (value: Schema): Schema => ({ map: value });
const typeMeta = { apiVersion: 'string', kind: 'string' } as const;

const arg = obj({ name: 'string', value: 'string' });
const envVar = obj({ name: 'string', value: 'string', valueFrom: 'any' });
const hostPathMount = obj({ name: 'string', hostPath: 'string', mountPath: 'string', readOnly: 'bool', pathType: 'string' });
const taint = obj({ key: 'string', value: 'string', effect: 'string', timeAdded: 'string' });
const apiEndpoint = obj({ advertiseAddress: 'string', bindPort: 'int' });
const patches = obj({ directory: 'string' });
const timeouts = obj({
  controlPlaneComponentHealthCheck: 'string',
  kubeletHealthCheck: 'string',
  kubernetesAPICall: 'string',
  etcdAPICall: 'string',
  tlsBootstrap: 'string',
  discovery: 'string',
  upgradeManifests: 'string',
});
const nodeRegistration = obj({
  name: 'string',
  criSocket: 'string',
  taints: list(taint),
  kubeletExtraArgs: list(arg),
  ignorePreflightErrors: list('string'),
  imagePullPolicy: 'string',
  imagePullSerial: 'bool',
});
const bootstrapToken = obj({
  token: 'string',
  description: 'string',
  ttl: 'string',
  expires: 'string',
  usages: list('string'),
  groups: list('string'),
});
const controlPlaneComponent = {
  extraArgs: list(arg),
  extraVolumes: list(hostPathMount),
  extraEnvs: list(envVar),
};
const imageMeta = { imageRepository: 'string', imageTag: 'string' } as const;

export const INIT_CONFIGURATION = obj({
  ...typeMeta,
  bootstrapTokens: list(bootstrapToken),
  dryRun: 'bool',
  nodeRegistration,
  localAPIEndpoint: apiEndpoint,
  certificateKey: 'string',
  skipPhases: list('string'),
  patches,
  timeouts,
});

export const CLUSTER_CONFIGURATION = obj({
  ...typeMeta,
  etcd: obj({
    local: obj({ ...imageMeta, dataDir: 'string', extraArgs: list(arg), extraEnvs: list(envVar), serverCertSANs: list('string'), peerCertSANs: list('string') }),
    external: obj({ endpoints: list('string'), caFile: 'string', certFile: 'string', keyFile: 'string' }),
  }),
  networking: obj({ serviceSubnet: 'string', podSubnet: 'string', dnsDomain: 'string' }),
  kubernetesVersion: 'string',
  controlPlaneEndpoint: 'string',
  apiServer: obj({ ...controlPlaneComponent, certSANs: list('string') }),
  controllerManager: obj(controlPlaneComponent),
  scheduler: obj(controlPlaneComponent),
  dns: obj({ ...imageMeta, disabled: 'bool' }),
  proxy: obj({ disabled: 'bool' }),
  certificatesDir: 'string',
  imageRepository: 'string',
  featureGates: map('bool'),
  clusterName: 'string',
  encryptionAlgorithm: 'string',
  certificateValidityPeriod: 'string',
  caCertificateValidityPeriod: 'string',
});

export const JOIN_CONFIGURATION = obj({
  ...typeMeta,
  dryRun: 'bool',
  nodeRegistration,
  caCertPath: 'string',
  discovery: obj({
    bootstrapToken: obj({ token: 'string', apiServerEndpoint: 'string', caCertHashes: list('string'), unsafeSkipCAVerification: 'bool' }),
    file: obj({ kubeConfigPath: 'string' }),
    tlsBootstrapToken: 'string',
  }),
  controlPlane: obj({ localAPIEndpoint: apiEndpoint, certificateKey: 'string' }),
  skipPhases: list('string'),
  patches,
  timeouts,
});

export const RESET_CONFIGURATION = obj({
  ...typeMeta,
  cleanupTmpDir: 'bool',
  certificatesDir: 'string',
  criSocket: 'string',
  dryRun: 'bool',
  force: 'bool',
  ignorePreflightErrors: list('string'),
  skipPhases: list('string'),
  unmountFlags: list('string'),
  timeouts,
});

export const UPGRADE_CONFIGURATION = obj({
  ...typeMeta,
  apply: 'any',
  diff: 'any',
  node: 'any',
  plan: 'any',
  timeouts,
});

const duration = 'string';
export const KUBELET_CONFIGURATION = obj({
  ...typeMeta,
  enableServer: 'bool', staticPodPath: 'string', podLogsDir: 'string', syncFrequency: duration, fileCheckFrequency: duration,
  httpCheckFrequency: duration, staticPodURL: 'string', staticPodURLHeader: 'any', address: 'string', port: 'int',
  readOnlyPort: 'int', tlsCertFile: 'string', tlsPrivateKeyFile: 'string', tlsCipherSuites: list('string'), tlsMinVersion: 'string',
  rotateCertificates: 'bool', serverTLSBootstrap: 'bool',
  authentication: obj({ x509: obj({ clientCAFile: 'string' }), webhook: obj({ enabled: 'bool', cacheTTL: duration }), anonymous: obj({ enabled: 'bool' }) }),
  authorization: obj({ mode: 'string', webhook: obj({ cacheAuthorizedTTL: duration, cacheUnauthorizedTTL: duration }) }),
  registryPullQPS: 'int', registryBurst: 'int', imagePullCredentialsVerificationPolicy: 'string', preloadedImagesVerificationAllowlist: list('string'),
  eventRecordQPS: 'int', eventBurst: 'int', enableDebuggingHandlers: 'bool', enableContentionProfiling: 'bool', healthzPort: 'int',
  healthzBindAddress: 'string', oomScoreAdj: 'int', clusterDomain: 'string', clusterDNS: list('string'), streamingConnectionIdleTimeout: duration,
  nodeStatusUpdateFrequency: duration, nodeStatusReportFrequency: duration, nodeLeaseDurationSeconds: 'int', imageMinimumGCAge: duration,
  imageMaximumGCAge: duration, imageGCHighThresholdPercent: 'int', imageGCLowThresholdPercent: 'int', volumeStatsAggPeriod: duration,
  kubeletCgroups: 'string', systemCgroups: 'string', cgroupRoot: 'string', cgroupsPerQOS: 'bool', cgroupDriver: 'string',
  cpuManagerPolicy: 'string', singleProcessOOMKill: 'bool', cpuManagerPolicyOptions: map('string'), cpuManagerReconcilePeriod: duration,
  memoryManagerPolicy: 'string', topologyManagerPolicy: 'string', topologyManagerScope: 'string', topologyManagerPolicyOptions: map('string'),
  qosReserved: map('string'), runtimeRequestTimeout: duration, hairpinMode: 'string', maxPods: 'int', podCIDR: 'string', podPidsLimit: 'int',
  resolvConf: 'string', runOnce: 'bool', cpuCFSQuota: 'bool', cpuCFSQuotaPeriod: duration, nodeStatusMaxImages: 'int', maxOpenFiles: 'int',
  contentType: 'string', kubeAPIQPS: 'int', kubeAPIBurst: 'int', serializeImagePulls: 'bool', maxParallelImagePulls: 'int',
  evictionHard: map('string'), evictionSoft: map('string'), evictionSoftGracePeriod: map('string'), evictionPressureTransitionPeriod: duration,
  evictionMaxPodGracePeriod: 'int', evictionMinimumReclaim: map('string'), mergeDefaultEvictionSettings: 'bool', podsPerCore: 'int',
  enableControllerAttachDetach: 'bool', protectKernelDefaults: 'bool', makeIPTablesUtilChains: 'bool', iptablesMasqueradeBit: 'int',
  iptablesDropBit: 'int', featureGates: map('bool'), failSwapOn: 'bool', memorySwap: obj({ swapBehavior: 'string' }),
  containerLogMaxSize: 'string', containerLogMaxFiles: 'int', containerLogMaxWorkers: 'int', containerLogMonitorInterval: duration,
  configMapAndSecretChangeDetectionStrategy: 'string', systemReserved: map('string'), kubeReserved: map('string'),
  reservedSystemCPUs: 'string', showHiddenMetricsForVersion: 'string', systemReservedCgroup: 'string', kubeReservedCgroup: 'string',
  enforceNodeAllocatable: list('string'), allowedUnsafeSysctls: list('string'), volumePluginDir: 'string', providerID: 'string',
  kernelMemcgNotification: 'bool', logging: 'any', enableSystemLogHandler: 'bool', enableSystemLogQuery: 'bool',
  shutdownGracePeriod: duration, shutdownGracePeriodCriticalPods: duration, shutdownGracePeriodByPodPriority: list('any'),
  crashLoopBackOff: obj({ maxContainerRestartPeriod: duration }), reservedMemory: list('any'), enableProfilingHandler: 'bool',
  enableDebugFlagsHandler: 'bool', seccompDefault: 'bool', memoryThrottlingFactor: 'number', registerWithTaints: list(taint),
  registerNode: 'bool', tracing: obj({ endpoint: 'string', samplingRatePerMillion: 'int' }), localStorageCapacityIsolation: 'bool',
  containerRuntimeEndpoint: 'string', imageServiceEndpoint: 'string', failCgroupV1: 'bool', userNamespaces: obj({ idsPerPod: 'int' }),
});

export const KUBE_PROXY_CONFIGURATION = obj({
  ...typeMeta,
  featureGates: map('bool'),
  clientConnection: obj({ kubeconfig: 'string', acceptContentTypes: 'string', contentType: 'string', qps: 'number', burst: 'int' }),
  hostnameOverride: 'string', bindAddress: 'string', healthzBindAddress: 'string', metricsBindAddress: 'string',
  bindAddressHardFail: 'bool', enableProfiling: 'bool', showHiddenMetricsForVersion: 'string', mode: 'string',
  iptables: obj({ masqueradeBit: 'int', masqueradeAll: 'bool', localhostNodePorts: 'bool', syncPeriod: duration, minSyncPeriod: duration }),
  ipvs: obj({ syncPeriod: duration, minSyncPeriod: duration, scheduler: 'string', excludeCIDRs: list('string'), strictARP: 'bool', tcpTimeout: duration, tcpFinTimeout: duration, udpTimeout: duration }),
  nftables: obj({ masqueradeBit: 'int', masqueradeAll: 'bool', syncPeriod: duration, minSyncPeriod: duration }),
  winkernel: 'any', detectLocalMode: 'string',
  detectLocal: obj({ bridgeInterface: 'string', clusterCIDRs: list('string'), interfaceNamePrefix: 'string' }),
  clusterCIDR: 'string', nodePortAddresses: list('string'), oomScoreAdj: 'int',
  conntrack: obj({ maxPerCore: 'int', min: 'int', tcpEstablishedTimeout: duration, tcpCloseWaitTimeout: duration, tcpBeLiberal: 'bool', udpTimeout: duration, udpStreamTimeout: duration }),
  configSyncPeriod: duration, portRange: 'string', logging: 'any', windowsRunAsService: 'bool',
});

/** Go type names used in kubeadm's "cannot unmarshal" messages. */
export const GO_TYPE: Record<string, string> = { string: 'string', int: 'int32', bool: 'bool', number: 'float64' };

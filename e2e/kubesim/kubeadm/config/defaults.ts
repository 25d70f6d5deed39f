// kubeadm v1beta4 defaulting (SetDefaults_*) for the fields the simulator uses.
import * as os from 'node:os';
import { parseDuration } from '../../common/duration.js';
import { bakedVersion, DEFAULT_IMAGE_REPOSITORY } from '../../common/versions.js';
import { ConfigError, type Doc } from './decode.js';
import type { Arg, BootstrapTokenSpec, ClusterConfig, EnvVar, InitConfig, JoinConfig, NodeRegistration, Taint } from './types.js';

export const DEFAULT_CRI_SOCKET = 'unix:///var/run/containerd/containerd.sock';
export const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
export const DEFAULT_TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

const asDoc = (v: unknown): Doc => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : {});
const asArr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const str = (v: unknown, d = ''): string => (typeof v === 'string' && v !== '' ? v : d);

export function hostnameDefault(): string {
  return os.hostname().toLowerCase();
}

/** IPv4 address of the interface with the default route (kubeadm's ChooseHostInterface). */
export function defaultAdvertiseAddress(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new ConfigError('unable to select an IP from default routes.');
}

function nodeRegistration(raw: unknown, controlPlane: boolean): NodeRegistration {
  const d = asDoc(raw);
  return {
    name: str(d.name, hostnameDefault()),
    criSocket: str(d.criSocket, DEFAULT_CRI_SOCKET),
    taints: Array.isArray(d.taints) ? (d.taints as Taint[]) : controlPlane ? [CONTROL_PLANE_TAINT] : [],
    kubeletExtraArgs: asArr<Arg>(d.kubeletExtraArgs),
    ignorePreflightErrors: asArr<string>(d.ignorePreflightErrors),
    imagePullPolicy: str(d.imagePullPolicy, 'IfNotPresent'),
  };
}

const TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

export function checkTokenFormat(token: string): void {
  if (!TOKEN_RE.test(token)) {
    throw new ConfigError(`the bootstrap token "${token.slice(0, 7)}..." was not of the form "[a-z0-9]{6}.[a-z0-9]{16}"`);
  }
}

export function randomToken(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const pick = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
  return `${pick(6)}.${pick(16)}`;
}

function bootstrapTokens(raw: unknown): BootstrapTokenSpec[] {
  const list = Array.isArray(raw) ? raw : [{}];
  return list.map((t) => {
    const d = asDoc(t);
    const token = str(d.token, randomToken());
    checkTokenFormat(token);
    return {
      token,
      description: typeof d.description === 'string' ? d.description : undefined,
      ttlMs: d.expires ? undefined : parseDuration(str(d.ttl, '24h')),
      expires: typeof d.expires === 'string' ? d.expires : undefined,
      usages: asArr<string>(d.usages).length ? asArr<string>(d.usages) : ['signing', 'authentication'],
      groups: asArr<string>(d.groups).length ? asArr<string>(d.groups) : [DEFAULT_TOKEN_GROUP],
    };
  });
}

function component(raw: unknown): ClusterConfig['controllerManager'] {
  const d = asDoc(raw);
  return { extraArgs: asArr<Arg>(d.extraArgs), extraVolumes: asArr(d.extraVolumes), extraEnvs: asArr<EnvVar>(d.extraEnvs) };
}

export function defaultClusterConfig(raw: Doc | undefined, kubernetesVersionFlag?: string): ClusterConfig {
  const d = asDoc(raw);
  const net = asDoc(d.networking);
  const etcd = asDoc(d.etcd);
  const local = asDoc(etcd.local);
  const external = etcd.external ? asDoc(etcd.external) : undefined;
  const version = kubernetesVersionFlag ?? str(d.kubernetesVersion, bakedVersion());
  const cfg: ClusterConfig = {
    kubernetesVersion: normalizeVersion(version),
    controlPlaneEndpoint: str(d.controlPlaneEndpoint),
    certificatesDir: str(d.certificatesDir, '/etc/kubernetes/pki'),
    imageRepository: str(d.imageRepository, DEFAULT_IMAGE_REPOSITORY),
    clusterName: str(d.clusterName, 'kubernetes'),
    encryptionAlgorithm: str(d.encryptionAlgorithm, 'RSA-2048'),
    certificateValidityPeriod: str(d.certificateValidityPeriod, '8760h0m0s'),
    caCertificateValidityPeriod: str(d.caCertificateValidityPeriod, '87600h0m0s'),
    networking: { serviceSubnet: str(net.serviceSubnet, '10.96.0.0/12'), podSubnet: str(net.podSubnet) || undefined, dnsDomain: str(net.dnsDomain, 'cluster.local') },
    etcd: external
      ? { external: { endpoints: asArr<string>(external.endpoints), caFile: str(external.caFile), certFile: str(external.certFile), keyFile: str(external.keyFile) } }
      : {
          local: {
            dataDir: str(local.dataDir, '/var/lib/etcd'),
            extraArgs: asArr<Arg>(local.extraArgs),
            extraEnvs: asArr<EnvVar>(local.extraEnvs),
            serverCertSANs: asArr<string>(local.serverCertSANs),
            peerCertSANs: asArr<string>(local.peerCertSANs),
            imageRepository: str(local.imageRepository) || undefined,
            imageTag: str(local.imageTag) || undefined,
          },
        },
    apiServer: { ...component(d.apiServer), certSANs: asArr<string>(asDoc(d.apiServer).certSANs) },
    controllerManager: component(d.controllerManager),
    scheduler: component(d.scheduler),
    dns: { ...asDoc(d.dns) },
    proxy: { ...asDoc(d.proxy) },
    featureGates: d.featureGates as Record<string, boolean> | undefined,
  };
  const algs = ['RSA-2048', 'RSA-3072', 'RSA-4096', 'ECDSA-P256', 'ECDSA-P384'];
  if (!algs.includes(cfg.encryptionAlgorithm)) {
    throw new ConfigError(`encryptionAlgorithm: Invalid value: "${cfg.encryptionAlgorithm}": value must be one of [${algs.join(' ')}]`);
  }
  parseDuration(cfg.certificateValidityPeriod);
  parseDuration(cfg.caCertificateValidityPeriod);
  return cfg;
}

export function normalizeVersion(v: string): string {
  const t = v.trim();
  if (!/^v?\d+\.\d+\.\d+/.test(t)) throw new ConfigError(`unable to parse kubernetes version "${v}"`);
  return t.startsWith('v') ? t : `v${t}`;
}

export function defaultInitConfig(
  docs: { InitConfiguration?: Doc; ClusterConfiguration?: Doc; KubeletConfiguration?: Doc; KubeProxyConfiguration?: Doc },
  flags: { kubernetesVersion?: string; skipPhases?: string[]; nodeName?: string; advertiseAddress?: string } = {},
): InitConfig {
  const init = asDoc(docs.InitConfiguration);
  const lep = asDoc(init.localAPIEndpoint);
  const nr = nodeRegistration(init.nodeRegistration, true);
  if (flags.nodeName) nr.name = flags.nodeName;
  return {
    nodeRegistration: nr,
    localAPIEndpoint: {
      advertiseAddress: flags.advertiseAddress ?? str(lep.advertiseAddress) ?? '',
      bindPort: typeof lep.bindPort === 'number' ? lep.bindPort : 6443,
    },
    bootstrapTokens: bootstrapTokens(init.bootstrapTokens),
    skipPhases: [...asArr<string>(init.skipPhases), ...(flags.skipPhases ?? [])],
    cluster: defaultClusterConfig(docs.ClusterConfiguration, flags.kubernetesVersion),
    kubelet: docs.KubeletConfiguration ? { ...docs.KubeletConfiguration } : { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration' },
    kubeProxy: docs.KubeProxyConfiguration ? { ...docs.KubeProxyConfiguration } : { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration' },
  };
}

export function defaultJoinConfig(doc: Doc | undefined): JoinConfig {
  const d = asDoc(doc);
  const disc = asDoc(d.discovery);
  const bt = disc.bootstrapToken ? asDoc(disc.bootstrapToken) : undefined;
  const cp = d.controlPlane ? asDoc(d.controlPlane) : undefined;
  const token = bt ? str(bt.token) : '';
  if (bt && token) checkTokenFormat(token);
  if (!bt && !disc.file) {
    throw new ConfigError('discovery: Invalid value: "": bootstrapToken or file must be set');
  }
  if (bt && !str(bt.apiServerEndpoint)) throw new ConfigError('discovery.bootstrapToken.apiServerEndpoint: Required value: apiServerEndpoint must be set');
  if (bt && !bt.unsafeSkipCAVerification && asArr(bt.caCertHashes).length === 0) {
    throw new ConfigError('discovery.bootstrapToken.caCertHashes: Invalid value: []string(nil): using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue');
  }
  return {
    nodeRegistration: nodeRegistration(d.nodeRegistration, !!cp),
    caCertPath: str(d.caCertPath, '/etc/kubernetes/pki/ca.crt'),
    discovery: {
      bootstrapToken: bt ? { token, apiServerEndpoint: str(bt.apiServerEndpoint), caCertHashes: asArr<string>(bt.caCertHashes), unsafeSkipCAVerification: bt.unsafeSkipCAVerification === true } : undefined,
      file: disc.file ? { kubeConfigPath: str(asDoc(disc.file).kubeConfigPath) } : undefined,
      tlsBootstrapToken: str(disc.tlsBootstrapToken, token),
    },
    controlPlane: cp
      ? {
          localAPIEndpoint: { advertiseAddress: str(asDoc(cp.localAPIEndpoint).advertiseAddress), bindPort: (asDoc(cp.localAPIEndpoint).bindPort as number) ?? 6443 },
          certificateKey: str(cp.certificateKey) || undefined,
        }
      : undefined,
    skipPhases: asArr<string>(d.skipPhases),
  };
}

export function argValue(args: Arg[], name: string): string | undefined {
  for (let i = args.length - 1; i >= 0; i--) if (args[i]!.name === name) return args[i]!.value;
  return undefined;
}

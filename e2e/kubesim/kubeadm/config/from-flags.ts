// kubeadm init/join command lines -> configuration documents: kubeadm's flags,
// --config files (strictly decoded), and the "can not mix --config" rule.
import * as fs from 'node:fs';
import { flagBool, flagList, flagString, type FlagKind, type ParsedArgs } from '../../common/flags.js';
import { KubeadmError } from '../output.js';
import { decodeConfig, type ConfigDocuments } from './decode.js';
import { defaultInitConfig, normalizeVersion } from './defaults.js';

export const S: FlagKind = 'string';
export const B: FlagKind = 'bool';
export const L: FlagKind = 'list';
export const GLOBAL = { v: S, rootfs: S, help: B };
export const SHORT = { v: 'v', h: 'help' };

export const INIT_FLAGS = {
  ...GLOBAL, config: S, 'skip-phases': L, 'ignore-preflight-errors': L, 'kubernetes-version': S, 'node-name': S,
  'apiserver-advertise-address': S, 'apiserver-bind-port': S, 'control-plane-endpoint': S, 'pod-network-cidr': S,
  'service-cidr': S, 'service-dns-domain': S, 'cert-dir': S, 'cri-socket': S, token: S, 'token-ttl': S, 'upload-certs': B,
  'certificate-key': S, 'skip-token-print': B, 'skip-certificate-key-print': B, 'dry-run': B, 'image-repository': S,
  'feature-gates': S, patches: S, 'apiserver-cert-extra-sans': L, kubeconfig: S, 'csr-only': B, 'csr-dir': S,
};
const INIT_MIXABLE = new Set(['config', 'ignore-preflight-errors', 'dry-run', 'kubeconfig', 'v', 'rootfs', 'skip-phases', 'upload-certs', 'skip-token-print', 'skip-certificate-key-print', 'certificate-key', 'patches', 'help']);

export const JOIN_FLAGS = {
  ...GLOBAL, config: S, token: S, 'discovery-token': S, 'discovery-token-ca-cert-hash': L, 'discovery-token-unsafe-skip-ca-verification': B,
  'discovery-file': S, 'tls-bootstrap-token': S, 'control-plane': B, 'apiserver-advertise-address': S, 'apiserver-bind-port': S,
  'node-name': S, 'cri-socket': S, 'ignore-preflight-errors': L, 'skip-phases': L, 'certificate-key': S, 'dry-run': B, patches: S,
};
const JOIN_MIXABLE = new Set(['config', 'ignore-preflight-errors', 'dry-run', 'v', 'rootfs', 'skip-phases', 'certificate-key', 'help']);

export function readConfig(file: string): ConfigDocuments {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new KubeadmError(`unable to read config from "${file}" : open ${file}: no such file or directory`);
  }
  const docs = decodeConfig(text, file);
  for (const w of docs.warnings) process.stderr.write(`W ${w}\n`);
  return docs;
}

function checkMix(a: ParsedArgs, allowed: Set<string>): void {
  if (!a.flags.has('config')) return;
  const bad = [...a.flags.keys()].filter((k) => !allowed.has(k));
  if (bad.length) throw new KubeadmError(`can not mix '--config' with arguments [${bad.join(' ')}]`);
}

export function initConfigFromFlags(a: ParsedArgs): ReturnType<typeof defaultInitConfig> {
  checkMix(a, INIT_MIXABLE);
  const docs: ConfigDocuments = flagString(a, 'config') ? readConfig(flagString(a, 'config')!) : { warnings: [] };
  const cluster: Record<string, unknown> = { ...(docs.ClusterConfiguration ?? {}) };
  const init: Record<string, unknown> = { ...(docs.InitConfiguration ?? {}) };
  if (!flagString(a, 'config')) {
    if (flagString(a, 'control-plane-endpoint')) cluster.controlPlaneEndpoint = flagString(a, 'control-plane-endpoint');
    const networking: Record<string, unknown> = {};
    if (flagString(a, 'pod-network-cidr')) networking.podSubnet = flagString(a, 'pod-network-cidr');
    if (flagString(a, 'service-cidr')) networking.serviceSubnet = flagString(a, 'service-cidr');
    if (flagString(a, 'service-dns-domain')) networking.dnsDomain = flagString(a, 'service-dns-domain');
    cluster.networking = networking;
    if (flagString(a, 'cert-dir')) cluster.certificatesDir = flagString(a, 'cert-dir');
    if (flagString(a, 'image-repository')) cluster.imageRepository = flagString(a, 'image-repository');
    if (flagList(a, 'apiserver-cert-extra-sans').length) cluster.apiServer = { certSANs: flagList(a, 'apiserver-cert-extra-sans') };
    const nr: Record<string, unknown> = {};
    if (flagString(a, 'node-name')) nr.name = flagString(a, 'node-name');
    if (flagString(a, 'cri-socket')) nr.criSocket = flagString(a, 'cri-socket');
    init.nodeRegistration = nr;
    init.localAPIEndpoint = {
      ...(flagString(a, 'apiserver-advertise-address') ? { advertiseAddress: flagString(a, 'apiserver-advertise-address') } : {}),
      ...(flagString(a, 'apiserver-bind-port') ? { bindPort: Number(flagString(a, 'apiserver-bind-port')) } : {}),
    };
    init.bootstrapTokens = [{ ...(flagString(a, 'token') ? { token: flagString(a, 'token') } : {}), ttl: flagString(a, 'token-ttl') ?? '24h0m0s' }];
  }
  return defaultInitConfig(
    { InitConfiguration: init, ClusterConfiguration: cluster, KubeletConfiguration: docs.KubeletConfiguration, KubeProxyConfiguration: docs.KubeProxyConfiguration },
    { kubernetesVersion: flagString(a, 'kubernetes-version') ? normalizeVersion(flagString(a, 'kubernetes-version')!) : undefined, skipPhases: flagList(a, 'skip-phases') },
  );
}

export function joinDocFromFlags(a: ParsedArgs): Record<string, unknown> | undefined {
  checkMix(a, JOIN_MIXABLE);
  let doc: Record<string, unknown> | undefined;
  if (flagString(a, 'config')) {
    doc = readConfig(flagString(a, 'config')!).JoinConfiguration;
    if (!doc) throw new KubeadmError(`no JoinConfiguration kind was found in the YAML file`);
  } else {
    const endpoint = a.positional[0];
    const token = flagString(a, 'discovery-token') ?? flagString(a, 'token');
    doc = {
      discovery: flagString(a, 'discovery-file')
        ? { file: { kubeConfigPath: flagString(a, 'discovery-file') }, tlsBootstrapToken: flagString(a, 'tls-bootstrap-token') ?? flagString(a, 'token') }
        : { bootstrapToken: { token, apiServerEndpoint: endpoint, caCertHashes: flagList(a, 'discovery-token-ca-cert-hash'), unsafeSkipCAVerification: flagBool(a, 'discovery-token-unsafe-skip-ca-verification') }, ...(flagString(a, 'tls-bootstrap-token') ? { tlsBootstrapToken: flagString(a, 'tls-bootstrap-token') } : {}) },
      nodeRegistration: { ...(flagString(a, 'node-name') ? { name: flagString(a, 'node-name') } : {}), ...(flagString(a, 'cri-socket') ? { criSocket: flagString(a, 'cri-socket') } : {}) },
      ...(flagBool(a, 'control-plane')
        ? { controlPlane: { localAPIEndpoint: { ...(flagString(a, 'apiserver-advertise-address') ? { advertiseAddress: flagString(a, 'apiserver-advertise-address') } : {}), bindPort: Number(flagString(a, 'apiserver-bind-port') ?? 6443) } } }
        : {}),
    };
  }
  return doc;
}

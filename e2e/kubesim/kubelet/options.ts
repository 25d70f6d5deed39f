// kubelet command line and KubeletConfiguration file -> the options the
// simulated kubelet acts on. Unknown flags fail like the real kubelet's.
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { flagBool, flagString, parseArgs, type FlagKind, type ParsedArgs } from '../common/flags.js';
import { firstHostIPv4 } from '../common/host.js';
import * as os from 'node:os';

const S: FlagKind = 'string';
const B: FlagKind = 'bool';
/** Flags of kubelet 1.34-1.36 (incl. deprecated ones that still parse). */
export const KUBELET_FLAGS: Record<string, FlagKind> = {
  'bootstrap-kubeconfig': S, kubeconfig: S, config: S, 'config-dir': S, 'container-runtime-endpoint': S, 'image-service-endpoint': S,
  'node-ip': S, 'hostname-override': S, 'node-labels': S, 'register-with-taints': S, 'register-node': B, 'register-schedulable': B,
  'pod-infra-container-image': S, 'cloud-provider': S, 'cloud-config': S, 'provider-id': S, 'volume-plugin-dir': S,
  'root-dir': S, 'cert-dir': S, 'cgroup-driver': S, 'runtime-request-timeout': S, 'system-reserved': S, 'kube-reserved': S,
  'eviction-hard': S, 'max-pods': S, 'pod-max-pids': S, 'fail-swap-on': B, 'feature-gates': S, 'rotate-certificates': B,
  'rotate-server-certificates': B, 'tls-cert-file': S, 'tls-private-key-file': S, 'tls-cipher-suites': S, 'tls-min-version': S,
  'client-ca-file': S, 'anonymous-auth': B, 'authorization-mode': S, 'authentication-token-webhook': B, 'read-only-port': S,
  port: S, address: S, 'healthz-port': S, 'healthz-bind-address': S, 'cluster-dns': S, 'cluster-domain': S,
  'resolv-conf': S, 'pod-manifest-path': S, 'container-log-max-size': S, 'container-log-max-files': S, 'protect-kernel-defaults': B,
  'node-status-update-frequency': S, 'lock-file': S, 'exit-on-lock-contention': B, 'seccomp-default': B,
  'image-gc-high-threshold': S, 'image-gc-low-threshold': S, 'minimum-image-ttl-duration': S, 'serialize-image-pulls': B,
  'v': S, 'vmodule': S, 'logtostderr': B, 'log-file': S, 'log-dir': S, 'alsologtostderr': B, 'log-flush-frequency': S,
  'version': B, help: B, 'system-reserved-cgroup': S, 'kube-reserved-cgroup': S, 'enforce-node-allocatable': S,
  'max-open-files': S, 'kube-api-qps': S, 'kube-api-burst': S, 'node-status-max-images': S, 'runonce': B,
  'containerd': S, 'keep-terminated-pod-volumes': B, 'experimental-allocatable-ignore-eviction': B,
  'local-storage-capacity-isolation': B, 'image-credential-provider-config': S, 'image-credential-provider-bin-dir': S,
};

export interface KubeletOptions {
  kubeconfig: string;
  bootstrapKubeconfig?: string;
  configFile?: string;
  config: Record<string, any>;
  runtimeEndpoint: string;
  nodeName: string;
  hostname: string;
  nodeIP: string;
  nodeLabels: Record<string, string>;
  registerWithTaints: Array<{ key: string; value?: string; effect: string }>;
  staticPodPath: string;
  certDir: string;
  rotateCertificates: boolean;
  serverTLSBootstrap: boolean;
  healthzPort: number;
  port: number;
  maxPods: number;
  podInfraContainerImage?: string;
  flags: ParsedArgs;
}

export class KubeletStartError extends Error {}

function parseLabels(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? '').split(',').filter(Boolean)) {
    const [k, v = ''] = part.split('=');
    out[k!.trim()] = v.trim();
  }
  return out;
}

/** "key=value:Effect,key2:Effect" -> taints. */
export function parseTaints(text: string | undefined): KubeletOptions['registerWithTaints'] {
  return (text ?? '').split(',').filter(Boolean).map((spec) => {
    const [kv, effect] = spec.split(':');
    if (!effect) throw new KubeletStartError(`invalid taint spec: ${spec}`);
    const [key, value] = kv!.split('=');
    return value === undefined ? { key: key!, effect } : { key: key!, value, effect };
  });
}

export function loadKubeletOptions(argv: string[]): KubeletOptions {
  const a = parseArgs(argv, KUBELET_FLAGS);
  const configFile = flagString(a, 'config');
  let config: Record<string, any> = {};
  if (configFile) {
    let text: string;
    try {
      text = fs.readFileSync(configFile, 'utf8');
    } catch (err) {
      throw new KubeletStartError(`failed to load kubelet config file, path: ${configFile}, error: failed to load Kubelet config file ${configFile}, error failed to read kubelet config file "${configFile}", error: open ${configFile}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    }
    config = (parse(text) as Record<string, any>) ?? {};
    if (config.kind !== 'KubeletConfiguration') throw new KubeletStartError(`failed to load kubelet config file, path: ${configFile}, error: no kind "${config.kind}" is registered`);
  }
  const hostname = (flagString(a, 'hostname-override') ?? os.hostname()).toLowerCase();
  const nodeIP = flagString(a, 'node-ip')?.split(',')[0] ?? firstHostIPv4() ?? '127.0.0.1';
  const taintFromConfig = Array.isArray(config.registerWithTaints) ? config.registerWithTaints : [];
  // As the kubelet: the in-tree providers are gone; with an external one the Node registers with
  // the uninitialized taint, which the cloud-controller-manager removes once it has initialized it.
  const cloudProvider = flagString(a, 'cloud-provider') ?? '';
  if (cloudProvider !== '' && cloudProvider !== 'external') {
    throw new KubeletStartError(`cloud provider "${cloudProvider}" was specified, but built-in cloud providers are disabled. Please set --cloud-provider=external and migrate to an external cloud provider`);
  }
  const cloudTaints = cloudProvider === 'external' ? [{ key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' }] : [];
  return {
    kubeconfig: flagString(a, 'kubeconfig') ?? '',
    bootstrapKubeconfig: flagString(a, 'bootstrap-kubeconfig'),
    configFile,
    config,
    runtimeEndpoint: flagString(a, 'container-runtime-endpoint') ?? config.containerRuntimeEndpoint ?? 'unix:///run/containerd/containerd.sock',
    nodeName: hostname,
    hostname,
    nodeIP,
    nodeLabels: parseLabels(flagString(a, 'node-labels')),
    registerWithTaints: [...taintFromConfig, ...parseTaints(flagString(a, 'register-with-taints')), ...cloudTaints],
    staticPodPath: flagString(a, 'pod-manifest-path') ?? config.staticPodPath ?? '',
    certDir: flagString(a, 'cert-dir') ?? '/var/lib/kubelet/pki',
    rotateCertificates: flagBool(a, 'rotate-certificates') || config.rotateCertificates === true,
    serverTLSBootstrap: flagBool(a, 'rotate-server-certificates') || config.serverTLSBootstrap === true,
    healthzPort: Number(flagString(a, 'healthz-port') ?? config.healthzPort ?? 10248),
    port: Number(flagString(a, 'port') ?? config.port ?? 10250),
    maxPods: Number(flagString(a, 'max-pods') ?? config.maxPods ?? 110),
    podInfraContainerImage: flagString(a, 'pod-infra-container-image'),
    flags: a,
  };
}

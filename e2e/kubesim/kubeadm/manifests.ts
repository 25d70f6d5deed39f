// Static Pod manifests for etcd, kube-apiserver, kube-controller-manager and
// kube-scheduler, with the command lines, labels, probes and volumes kubeadm writes.
import { stringify } from 'yaml';
import { etcdTag, parseVersion } from '../common/versions.js';
import { argValue } from './config/defaults.js';
import type { Arg, ClusterConfig, EnvVar } from './config/types.js';

export const MANIFESTS_DIR = '/etc/kubernetes/manifests';
export const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
export type Component = (typeof COMPONENTS)[number];

export interface NodeContext {
  nodeName: string;
  advertiseAddress: string;
  bindPort: number;
}

/** Merge kubeadm's defaults with extraArgs (an extra arg overrides a default of the same name). */
function command(binary: string, defaults: Record<string, string>, extra: Arg[]): string[] {
  const merged = new Map(Object.entries(defaults));
  const extraNames = new Set(extra.map((a) => a.name));
  for (const n of extraNames) merged.delete(n);
  const out = [...merged.entries()].map(([k, v]) => `--${k}=${v}`);
  for (const a of extra) out.push(`--${a.name}=${a.value}`);
  return [binary, ...out.sort()];
}

function hostPath(name: string, path: string, type: string, readOnly = true): { volume: object; mount: object } {
  return { volume: { hostPath: { path, type }, name }, mount: { mountPath: path, name, readOnly } };
}

function pod(component: Component, image: string, cmd: string[], probe: { host: string; port: number; path: string; scheme: string }, volumes: Array<{ volume: object; mount: object }>, annotations: Record<string, string>, cpu: string, env: EnvVar[] = []): object {
  const httpGet = { host: probe.host, path: probe.path, port: probe.port, scheme: probe.scheme };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { annotations, labels: { component, tier: 'control-plane' }, name: component, namespace: 'kube-system' },
    spec: {
      containers: [
        {
          command: cmd,
          // extraEnvs, as kubeadm puts them in the container (omitted when there are none).
          env: env.length ? env.map((e) => ({ name: e.name, value: e.value ?? '' })) : undefined,
          image,
          imagePullPolicy: 'IfNotPresent',
          livenessProbe: { failureThreshold: 8, httpGet: { ...httpGet, path: probe.path === '/readyz' ? '/livez' : probe.path }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15 },
          name: component,
          readinessProbe: component === 'kube-apiserver' || component === 'etcd' ? { failureThreshold: 3, httpGet, periodSeconds: 1, timeoutSeconds: 15 } : undefined,
          resources: { requests: { cpu } },
          startupProbe: { failureThreshold: 24, httpGet: { ...httpGet, path: probe.path === '/readyz' ? '/livez' : probe.path }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15 },
          volumeMounts: volumes.map((v) => v.mount),
        },
      ],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes: volumes.map((v) => v.volume),
    },
    status: {},
  };
}

const caVolumes = (): Array<{ volume: object; mount: object }> => [
  hostPath('ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate'),
  hostPath('etc-ca-certificates', '/etc/ca-certificates', 'DirectoryOrCreate'),
  hostPath('usr-local-share-ca-certificates', '/usr/local/share/ca-certificates', 'DirectoryOrCreate'),
  hostPath('usr-share-ca-certificates', '/usr/share/ca-certificates', 'DirectoryOrCreate'),
];

/** kubeadm keeps the host path mounts in a map by name: an extra volume named like a default one replaces it. */
function withExtras(defaults: Array<{ volume: object; mount: object }>, list: Array<Record<string, unknown>>): Array<{ volume: object; mount: object }> {
  const extras = extraVolumes(list);
  const nameOf = (v: { volume: object }) => (v.volume as { name: string }).name;
  const replaced = defaults.map((d) => extras.find((e) => nameOf(e) === nameOf(d)) ?? d);
  return [...replaced, ...extras.filter((e) => !defaults.some((d) => nameOf(d) === nameOf(e)))];
}

function extraVolumes(list: Array<Record<string, unknown>>): Array<{ volume: object; mount: object }> {
  return list.map((v) => ({
    volume: { hostPath: { path: v.hostPath, type: v.pathType ?? '' }, name: v.name },
    mount: { mountPath: v.mountPath, name: v.name, readOnly: v.readOnly === true },
  }));
}

export function image(cfg: ClusterConfig, component: Component): string {
  if (component === 'etcd') {
    const repo = cfg.etcd.local?.imageRepository ?? cfg.imageRepository;
    const minor = parseVersion(cfg.kubernetesVersion)?.minor ?? 35;
    return `${repo}/etcd:${cfg.etcd.local?.imageTag ?? etcdTag(minor)}`;
  }
  return `${cfg.imageRepository}/${component}:${cfg.kubernetesVersion}`;
}

export interface EtcdMemberContext {
  /** name=peerURL pairs of the whole initial cluster; default just this node. */
  initialCluster?: string;
  initialClusterState?: 'new' | 'existing';
}

export function etcdManifest(cfg: ClusterConfig, node: NodeContext, member: EtcdMemberContext = {}): object {
  const ip = node.advertiseAddress;
  const pki = cfg.certificatesDir;
  const dataDir = cfg.etcd.local!.dataDir;
  const defaults: Record<string, string> = {
    'advertise-client-urls': `https://${ip}:2379`,
    'cert-file': `${pki}/etcd/server.crt`,
    'client-cert-auth': 'true',
    'data-dir': dataDir,
    'feature-gates': 'InitialCorruptCheck=true',
    'initial-advertise-peer-urls': `https://${ip}:2380`,
    'initial-cluster': member.initialCluster ?? `${node.nodeName}=https://${ip}:2380`,
    'key-file': `${pki}/etcd/server.key`,
    'listen-client-urls': `https://127.0.0.1:2379,https://${ip}:2379`,
    'listen-metrics-urls': 'http://127.0.0.1:2381',
    'listen-peer-urls': `https://${ip}:2380`,
    name: node.nodeName,
    'peer-cert-file': `${pki}/etcd/peer.crt`,
    'peer-client-cert-auth': 'true',
    'peer-key-file': `${pki}/etcd/peer.key`,
    'peer-trusted-ca-file': `${pki}/etcd/ca.crt`,
    'snapshot-count': '10000',
    'trusted-ca-file': `${pki}/etcd/ca.crt`,
    'watch-progress-notify-interval': '5s',
  };
  if (member.initialClusterState === 'existing') defaults['initial-cluster-state'] = 'existing';
  return pod(
    'etcd',
    image(cfg, 'etcd'),
    command('etcd', defaults, cfg.etcd.local!.extraArgs),
    { host: '127.0.0.1', port: 2381, path: '/readyz', scheme: 'HTTP' },
    [hostPath('etcd-certs', `${pki}/etcd`, 'DirectoryOrCreate', false), hostPath('etcd-data', dataDir, 'DirectoryOrCreate', false)],
    { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
    '100m',
    cfg.etcd.local!.extraEnvs,
  );
}

export function apiServerManifest(cfg: ClusterConfig, node: NodeContext): object {
  const pki = cfg.certificatesDir;
  const etcdServers = cfg.etcd.external ? cfg.etcd.external.endpoints.join(',') : 'https://127.0.0.1:2379';
  const defaults: Record<string, string> = {
    'advertise-address': node.advertiseAddress,
    'allow-privileged': 'true',
    'authorization-mode': 'Node,RBAC',
    'client-ca-file': `${pki}/ca.crt`,
    'enable-admission-plugins': 'NodeRestriction',
    'enable-bootstrap-token-auth': 'true',
    'etcd-cafile': cfg.etcd.external?.caFile || `${pki}/etcd/ca.crt`,
    'etcd-certfile': cfg.etcd.external?.certFile || `${pki}/apiserver-etcd-client.crt`,
    'etcd-keyfile': cfg.etcd.external?.keyFile || `${pki}/apiserver-etcd-client.key`,
    'etcd-servers': etcdServers,
    'kubelet-client-certificate': `${pki}/apiserver-kubelet-client.crt`,
    'kubelet-client-key': `${pki}/apiserver-kubelet-client.key`,
    'kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
    'proxy-client-cert-file': `${pki}/front-proxy-client.crt`,
    'proxy-client-key-file': `${pki}/front-proxy-client.key`,
    'requestheader-allowed-names': 'front-proxy-client',
    'requestheader-client-ca-file': `${pki}/front-proxy-ca.crt`,
    'requestheader-extra-headers-prefix': 'X-Remote-Extra-',
    'requestheader-group-headers': 'X-Remote-Group',
    'requestheader-username-headers': 'X-Remote-User',
    'secure-port': String(node.bindPort),
    'service-account-issuer': `https://kubernetes.default.svc.${cfg.networking.dnsDomain}`,
    'service-account-key-file': `${pki}/sa.pub`,
    'service-account-signing-key-file': `${pki}/sa.key`,
    'service-cluster-ip-range': cfg.networking.serviceSubnet,
    'tls-cert-file': `${pki}/apiserver.crt`,
    'tls-private-key-file': `${pki}/apiserver.key`,
  };
  return pod(
    'kube-apiserver',
    image(cfg, 'kube-apiserver'),
    command('kube-apiserver', defaults, cfg.apiServer.extraArgs),
    { host: node.advertiseAddress, port: node.bindPort, path: '/readyz', scheme: 'HTTPS' },
    withExtras([...caVolumes(), hostPath('k8s-certs', pki, 'DirectoryOrCreate')], cfg.apiServer.extraVolumes),
    { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${node.advertiseAddress}:${node.bindPort}` },
    '250m',
    cfg.apiServer.extraEnvs,
  );
}

export function controllerManagerManifest(cfg: ClusterConfig): object {
  const pki = cfg.certificatesDir;
  const defaults: Record<string, string> = {
    'authentication-kubeconfig': '/etc/kubernetes/controller-manager.conf',
    'authorization-kubeconfig': '/etc/kubernetes/controller-manager.conf',
    'bind-address': '127.0.0.1',
    'client-ca-file': `${pki}/ca.crt`,
    'cluster-name': cfg.clusterName,
    'cluster-signing-cert-file': `${pki}/ca.crt`,
    'cluster-signing-key-file': `${pki}/ca.key`,
    controllers: '*,bootstrapsigner,tokencleaner',
    kubeconfig: '/etc/kubernetes/controller-manager.conf',
    'leader-elect': 'true',
    'requestheader-client-ca-file': `${pki}/front-proxy-ca.crt`,
    'root-ca-file': `${pki}/ca.crt`,
    'service-account-private-key-file': `${pki}/sa.key`,
    'use-service-account-credentials': 'true',
  };
  if (cfg.networking.podSubnet) {
    defaults['allocate-node-cidrs'] = 'true';
    defaults['cluster-cidr'] = cfg.networking.podSubnet;
    defaults['service-cluster-ip-range'] = cfg.networking.serviceSubnet;
  }
  const bind = argValue(cfg.controllerManager.extraArgs, 'bind-address') ?? '127.0.0.1';
  // kubeadm mounts the FlexVolume directory the controller manager is pointed at (KubeOne: /var/lib/kubelet/volumeplugins).
  const flexDir = argValue(cfg.controllerManager.extraArgs, 'flex-volume-plugin-dir') ?? '/usr/libexec/kubernetes/kubelet-plugins/volume/exec';
  return pod(
    'kube-controller-manager',
    image(cfg, 'kube-controller-manager'),
    command('kube-controller-manager', defaults, cfg.controllerManager.extraArgs),
    { host: bind, port: 10257, path: '/healthz', scheme: 'HTTPS' },
    withExtras([...caVolumes(), hostPath('flexvolume-dir', flexDir, 'DirectoryOrCreate', false), hostPath('k8s-certs', pki, 'DirectoryOrCreate'), hostPath('kubeconfig', '/etc/kubernetes/controller-manager.conf', 'FileOrCreate')], cfg.controllerManager.extraVolumes),
    {},
    '200m',
    cfg.controllerManager.extraEnvs,
  );
}

export function schedulerManifest(cfg: ClusterConfig): object {
  const defaults: Record<string, string> = {
    'authentication-kubeconfig': '/etc/kubernetes/scheduler.conf',
    'authorization-kubeconfig': '/etc/kubernetes/scheduler.conf',
    'bind-address': '127.0.0.1',
    kubeconfig: '/etc/kubernetes/scheduler.conf',
    'leader-elect': 'true',
  };
  const bind = argValue(cfg.scheduler.extraArgs, 'bind-address') ?? '127.0.0.1';
  return pod(
    'kube-scheduler',
    image(cfg, 'kube-scheduler'),
    command('kube-scheduler', defaults, cfg.scheduler.extraArgs),
    { host: bind, port: 10259, path: '/livez', scheme: 'HTTPS' },
    withExtras([hostPath('kubeconfig', '/etc/kubernetes/scheduler.conf', 'FileOrCreate')], cfg.scheduler.extraVolumes),
    {},
    '100m',
    cfg.scheduler.extraEnvs,
  );
}

export function renderManifest(obj: object): string {
  return stringify(JSON.parse(JSON.stringify(obj)));
}

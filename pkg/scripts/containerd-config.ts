// host.containerd.configure: the exact bytes of /etc/containerd/config.toml, the
// certs.d/<registry>/hosts.toml files, /etc/crictl.yaml, and with a proxy the environment
// file and containerd's drop-in reading it (pkg/scripts/proxy.ts).
// Pure: the same manifest always renders the same bytes (the planner compares sha256s).
import type { KubeOneCluster } from '../api/types.js';
import { PROXY_DROPIN_NAME, PROXY_ENV_PATH, proxyFileMode, renderProxyDropIn, renderProxyEnvFile } from './proxy.js';
import { pathInside } from './shell.js';

export const CONTAINERD_CONFIG_PATH = '/etc/containerd/config.toml';
export const CONTAINERD_CERTS_DIR = '/etc/containerd/certs.d';
export const CRICTL_CONFIG_PATH = '/etc/crictl.yaml';
export const CONTAINERD_PROXY_DROPIN_PATH = `/etc/systemd/system/containerd.service.d/${PROXY_DROPIN_NAME}`;
export const CONTAINERD_SOCKET = 'unix:///run/containerd/containerd.sock';

/** A file the tool renders onto a host. */
export interface RenderedFile {
  path: string;
  content: string;
  /** Octal mode string, e.g. '0600'. */
  mode: string;
}

/** The pause image kubeadm of that minor expects. */
export function pauseImageTag(kubernetesVersion: string): string {
  const minor = Number(kubernetesVersion.replace(/^v/, '').split('.')[1] ?? '0');
  return minor >= 34 ? '3.10.1' : '3.10';
}

export function sandboxImage(cluster: KubeOneCluster): string {
  const explicit = cluster.containerRuntime?.containerd?.sandboxImage;
  if (explicit) return explicit;
  const registry = cluster.registryConfiguration?.overwriteRegistry || 'registry.k8s.io';
  return `${registry}/pause:${pauseImageTag(cluster.versions?.kubernetes ?? '')}`;
}

function tomlString(value: string): string {
  return JSON.stringify(value);
}

function authLines(cluster: KubeOneCluster): string[] {
  const registries = cluster.containerRuntime?.containerd?.registries ?? {};
  const lines: string[] = [];
  for (const name of Object.keys(registries).sort()) {
    const auth = registries[name]?.auth;
    if (!auth) continue;
    lines.push('', `[plugins."io.containerd.grpc.v1.cri".registry.configs.${tomlString(name)}.auth]`);
    if (auth.username) lines.push(`username = ${tomlString(auth.username)}`);
    if (auth.password) lines.push(`password = ${tomlString(auth.password)}`);
    if (auth.auth) lines.push(`auth = ${tomlString(auth.auth)}`);
    if (auth.identityToken) lines.push(`identitytoken = ${tomlString(auth.identityToken)}`);
  }
  return lines;
}

/** /etc/containerd/config.toml (format version 2: read by containerd 1.6, 1.7 and 2.x). */
export function renderContainerdConfigToml(cluster: KubeOneCluster): string {
  const containerd = cluster.containerRuntime?.containerd ?? {};
  return [
    'version = 2',
    '',
    '[metrics]',
    'address = "127.0.0.1:1338"',
    '',
    '[plugins."io.containerd.grpc.v1.cri"]',
    `sandbox_image = ${tomlString(sandboxImage(cluster))}`,
    `device_ownership_from_security_context = ${Boolean(containerd.deviceOwnershipFromSecurityContext)}`,
    '',
    '[plugins."io.containerd.grpc.v1.cri".containerd]',
    'default_runtime_name = "runc"',
    '',
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
    'runtime_type = "io.containerd.runc.v2"',
    '',
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
    'SystemdCgroup = true',
    '',
    '[plugins."io.containerd.grpc.v1.cri".registry]',
    `config_path = ${tomlString(CONTAINERD_CERTS_DIR)}`,
    ...authLines(cluster),
    '',
  ].join('\n');
}

function upstreamServer(registry: string): string {
  return registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`;
}

function withScheme(mirror: string): string {
  return /^https?:\/\//.test(mirror) ? mirror : `https://${mirror}`;
}

/** certs.d/<registry>/hosts.toml for each configured registry (mirrors, TLS) and the insecure registry. */
export function renderRegistryHosts(cluster: KubeOneCluster): RenderedFile[] {
  const registries = { ...(cluster.containerRuntime?.containerd?.registries ?? {}) };
  const overwrite = cluster.registryConfiguration?.overwriteRegistry;
  if (overwrite && cluster.registryConfiguration?.insecureRegistry && !registries[overwrite]) {
    registries[overwrite] = { tlsConfig: { insecureSkipVerify: true } };
  }
  const files: RenderedFile[] = [];
  for (const name of Object.keys(registries).sort()) {
    const registry = registries[name] ?? {};
    const skipVerify = Boolean(registry.tlsConfig?.insecureSkipVerify);
    const lines = [`server = ${tomlString(upstreamServer(name))}`];
    for (const mirror of registry.mirrors ?? []) {
      lines.push('', `[host.${tomlString(withScheme(mirror))}]`, 'capabilities = ["pull", "resolve"]');
      if (skipVerify) lines.push('skip_verify = true');
      if (registry.overridePath) lines.push('override_path = true');
    }
    if ((registry.mirrors ?? []).length === 0 && skipVerify) {
      lines.push('', `[host.${tomlString(upstreamServer(name))}]`, 'capabilities = ["pull", "resolve", "push"]', 'skip_verify = true');
    }
    // Registry names are validated; the path is still checked to stay inside certs.d.
    files.push({ path: pathInside(CONTAINERD_CERTS_DIR, `${name}/hosts.toml`), content: `${lines.join('\n')}\n`, mode: '0644' });
  }
  return files;
}

export function renderCrictlConfig(): string {
  return `runtime-endpoint: ${CONTAINERD_SOCKET}\nimage-endpoint: ${CONTAINERD_SOCKET}\ntimeout: 10\n`;
}

/** Every file host.containerd.configure writes, in write order. */
export function renderContainerdFiles(cluster: KubeOneCluster): RenderedFile[] {
  const files: RenderedFile[] = [
    // 0600: it may carry registry credentials.
    { path: CONTAINERD_CONFIG_PATH, content: renderContainerdConfigToml(cluster), mode: '0600' },
    ...renderRegistryHosts(cluster),
    { path: CRICTL_CONFIG_PATH, content: renderCrictlConfig(), mode: '0644' },
  ];
  const env = renderProxyEnvFile(cluster.proxy);
  if (env) {
    files.push({ path: PROXY_ENV_PATH, content: env, mode: proxyFileMode(cluster.proxy) });
    files.push({ path: CONTAINERD_PROXY_DROPIN_PATH, content: renderProxyDropIn(), mode: '0644' });
  }
  return files;
}

// host.containerd.configure: the exact bytes of /etc/containerd/config.toml, the
// certs.d/<host>/hosts.toml files, /etc/crictl.yaml, and with a proxy the environment file and containerd's drop-in reading it
// (pkg/scripts/proxy.ts), as KubeOne 1.14
// renders them (pkg/containerruntime/containerd_config.go). Pure: the same manifest and
// containerd major always render the same bytes (the planner compares sha256s).
import type { ContainerdRegistry, KubeOneCluster } from '../api/types.js';
import { PROXY_DROPIN_NAME, PROXY_ENV_PATH, proxyFileMode, renderProxyDropIn, renderProxyEnvFile } from './proxy.js';
import { pathInside } from './shell.js';

export const CONTAINERD_CONFIG_PATH = '/etc/containerd/config.toml';
export const CONTAINERD_CERTS_DIR = '/etc/containerd/certs.d';
export const CRICTL_CONFIG_PATH = '/etc/crictl.yaml';
export const CONTAINERD_PROXY_DROPIN_PATH = `/etc/systemd/system/containerd.service.d/${PROXY_DROPIN_NAME}`;
export const CONTAINERD_SOCKET = 'unix:///run/containerd/containerd.sock';
/** Where CNI plugins are installed and configured (Debian's containerd package defaults bin_dir to /usr/lib/cni). */
export const CNI_BIN_DIR = '/opt/cni/bin';
export const CNI_CONF_DIR = '/etc/cni/net.d';

/**
 * The containerd major assumed while none is installed: KubeOne installs containerd 2.2. The
 * executor renders with the major it finds on the host, so this only shapes plan-time hashes.
 */
export const DEFAULT_CONTAINERD_MAJOR = 2;

/** A file the tool renders onto a host. */
export interface RenderedFile {
  path: string;
  content: string;
  /** Octal mode string, e.g. '0600'. */
  mode: string;
}

/** Major of a `containerd --version` / probed version (`1.6.20~ds1`, `v2.2.0`); the default when unknown. */
export function containerdMajorOf(version: string | undefined): number {
  const m = /(\d+)\.\d+/.exec(version ?? '');
  return m ? Number(m[1]) : DEFAULT_CONTAINERD_MAJOR;
}

/** The pause image kubeadm of that minor expects (KubeOne's SandboxImage). */
export function pauseImageTag(kubernetesVersion: string): string {
  const minor = Number(kubernetesVersion.replace(/^v/, '').split('.')[1] ?? '0');
  return minor >= 36 ? '3.10.2' : '3.10.1';
}

export function sandboxImage(cluster: KubeOneCluster): string {
  const explicit = cluster.containerRuntime?.containerd?.sandboxImage;
  if (explicit) return explicit;
  const registry = cluster.registryConfiguration?.overwriteRegistry || 'registry.k8s.io';
  return `${registry}/pause:${pauseImageTag(cluster.versions?.kubernetes ?? '')}`;
}

/** TOML basic string (JSON's escapes are valid TOML). */
function str(value: string): string {
  return JSON.stringify(value);
}

/** host[:port] of a registry name: containerd's certs.d directories and auth keys know no paths. */
export function registryHost(name: string): string {
  const slash = name.indexOf('/');
  return slash >= 0 ? name.slice(0, slash) : name;
}

/** host[:port] of a mirror given as a URL or as host[:port][/path]. */
function mirrorHost(mirror: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(mirror)) {
    try {
      const host = new URL(mirror).host;
      if (host) return host;
    } catch {
      // fall through
    }
  }
  return registryHost(mirror);
}

function registriesOf(cluster: KubeOneCluster): [string, ContainerdRegistry][] {
  const registries = cluster.containerRuntime?.containerd?.registries ?? {};
  return Object.keys(registries)
    .sort()
    .map((name) => [name, registries[name] ?? {}]);
}

/**
 * registry.configs.<host>.auth: for the registry itself and for each of its mirrors (the host
 * containerd actually talks to). Unlike KubeOne, which drops it, the auth of "*" is kept for
 * its mirrors (there is no host "*" to key it on).
 */
function authTables(cluster: KubeOneCluster, prefix: string): string[] {
  const byHost = new Map<string, NonNullable<ContainerdRegistry['auth']>>();
  for (const [name, registry] of registriesOf(cluster)) {
    if (!registry.auth) continue;
    if (name !== '*') byHost.set(registryHost(name), registry.auth);
    for (const mirror of registry.mirrors ?? []) byHost.set(mirrorHost(mirror), registry.auth);
  }
  const lines: string[] = [];
  for (const host of [...byHost.keys()].sort()) {
    const auth = byHost.get(host)!;
    lines.push('', `[${prefix}.registry.configs.${str(host)}.auth]`);
    if (auth.username) lines.push(`username = ${str(auth.username)}`);
    if (auth.password) lines.push(`password = ${str(auth.password)}`);
    if (auth.auth) lines.push(`auth = ${str(auth.auth)}`);
    if (auth.identityToken) lines.push(`identitytoken = ${str(auth.identityToken)}`);
  }
  return lines;
}

const RUNC = (prefix: string): string[] => [
  '',
  `[${prefix}.containerd.runtimes.runc]`,
  'runtime_type = "io.containerd.runc.v2"',
  '',
  `[${prefix}.containerd.runtimes.runc.options]`,
  'SystemdCgroup = true',
];

/**
 * /etc/containerd/config.toml. containerd 2.x reads KubeOne's version 3 layout (CRI split into
 * the images and runtime plugins); containerd 1.6/1.7, which cannot read version 3, get the same
 * settings in the version 2 layout.
 */
export function renderContainerdConfigToml(cluster: KubeOneCluster, containerdMajor: number = DEFAULT_CONTAINERD_MAJOR): string {
  // KubeOne's default is false (v1beta2 defaulting), not containerd's.
  const deviceOwnership = Boolean(cluster.containerRuntime?.containerd?.deviceOwnershipFromSecurityContext);
  const header = ['', '[metrics]', '# metrics at http://127.0.0.1:1338/v1/metrics', 'address = "127.0.0.1:1338"'];
  if (containerdMajor >= 2) {
    const images = 'plugins."io.containerd.cri.v1.images"';
    const runtime = 'plugins."io.containerd.cri.v1.runtime"';
    return [
      'version = 3',
      ...header,
      '',
      `[${images}]`,
      'discard_unpacked_layers = false',
      '',
      `[${images}.pinned_images]`,
      `sandbox = ${str(sandboxImage(cluster))}`,
      '',
      `[${images}.registry]`,
      `config_path = ${str(CONTAINERD_CERTS_DIR)}`,
      ...authTables(cluster, images),
      '',
      `[${runtime}]`,
      `device_ownership_from_security_context = ${deviceOwnership}`,
      '',
      `[${runtime}.cni]`,
      `bin_dirs = [${str(CNI_BIN_DIR)}]`,
      `conf_dir = ${str(CNI_CONF_DIR)}`,
      ...RUNC(runtime),
      '',
    ].join('\n');
  }
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return [
    'version = 2',
    ...header,
    '',
    `[${cri}]`,
    `device_ownership_from_security_context = ${deviceOwnership}`,
    `sandbox_image = ${str(sandboxImage(cluster))}`,
    '',
    `[${cri}.cni]`,
    `bin_dir = ${str(CNI_BIN_DIR)}`,
    `conf_dir = ${str(CNI_CONF_DIR)}`,
    '',
    `[${cri}.containerd]`,
    'discard_unpacked_layers = false',
    ...RUNC(cri),
    '',
    `[${cri}.registry]`,
    `config_path = ${str(CONTAINERD_CERTS_DIR)}`,
    ...authTables(cluster, cri),
    '',
  ].join('\n');
}

interface HostsConfig {
  endpoints: string[];
  overridePath: boolean;
  insecure: boolean;
}

/** KubeOne's registry host settings: docker.io's upstream, the insecure overwriteRegistry, then the manifest's registries. */
function hostsConfigs(cluster: KubeOneCluster): Map<string, HostsConfig> {
  const configs = new Map<string, HostsConfig>([['docker.io', { endpoints: ['https://registry-1.docker.io'], overridePath: false, insecure: false }]]);
  const get = (name: string): HostsConfig => {
    let c = configs.get(name);
    if (!c) configs.set(name, (c = { endpoints: [], overridePath: false, insecure: false }));
    return c;
  };
  const rc = cluster.registryConfiguration;
  if (rc?.insecureRegistry && rc.overwriteRegistry) get(rc.overwriteRegistry).insecure = true;
  for (const [name, registry] of registriesOf(cluster)) {
    // "*" is containerd's fallback directory `_default`, used for every registry without its own.
    const c = get(name === '*' ? '_default' : name);
    if ((registry.mirrors ?? []).length > 0) c.endpoints = [...registry.mirrors!];
    c.overridePath = Boolean(registry.overridePath);
    if (registry.tlsConfig) c.insecure = Boolean(registry.tlsConfig.insecureSkipVerify);
  }
  return configs;
}

/**
 * certs.d/<host[:port]>/hosts.toml per registry that needs one: mirrors first, in the
 * manifest's order (containerd tries them in file order; KubeOne's encoder sorts them), then the
 * upstream `server`. The directory and `server` use the registry's host only: containerd looks
 * registries up by host, and a path in `server` would become part of every request's URL.
 */
export function renderRegistryHosts(cluster: KubeOneCluster): RenderedFile[] {
  const configs = hostsConfigs(cluster);
  const files: RenderedFile[] = [];
  for (const name of [...configs.keys()].sort()) {
    const c = configs.get(name)!;
    if (c.endpoints.length === 0 && !c.insecure && !c.overridePath) continue;
    const host = registryHost(name);
    const server = host === '_default' ? '' : host === 'docker.io' ? 'https://registry-1.docker.io' : host;
    const entry = (url: string): string[] => [
      '',
      `[host.${str(url)}]`,
      'capabilities = ["pull", "resolve"]',
      ...(c.insecure ? ['skip_verify = true'] : []),
      ...(c.overridePath ? ['override_path = true'] : []),
    ];
    const lines = server ? [`server = ${str(server)}`] : [];
    for (const endpoint of c.endpoints) lines.push(...entry(endpoint));
    if (c.endpoints.length === 0 && server) lines.push(...entry(c.overridePath ? name : server));
    if (lines[0] === '') lines.shift();
    // Registry names are validated; the path is still checked to stay inside certs.d.
    files.push({ path: pathInside(CONTAINERD_CERTS_DIR, `${host}/hosts.toml`), content: `${lines.join('\n')}\n`, mode: '0600' });
  }
  return files;
}

/** crictl talks to containerd (KubeOne writes the runtime endpoint only; the image endpoint and timeout spare crictl's warnings). */
export function renderCrictlConfig(): string {
  return `runtime-endpoint: ${CONTAINERD_SOCKET}\nimage-endpoint: ${CONTAINERD_SOCKET}\ntimeout: 10\n`;
}

/** Every file host.containerd.configure writes, in write order. */
export function renderContainerdFiles(cluster: KubeOneCluster, containerdMajor: number = DEFAULT_CONTAINERD_MAJOR): RenderedFile[] {
  const files: RenderedFile[] = [
    // 0600: it may carry registry credentials.
    { path: CONTAINERD_CONFIG_PATH, content: renderContainerdConfigToml(cluster, containerdMajor), mode: '0600' },
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

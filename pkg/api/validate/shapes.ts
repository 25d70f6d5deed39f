// Shapes of every manifest value that can reach a host (a script, a file on the host, a
// kubelet flag, a systemd unit, an SSH login), checked strictly on the raw string: nothing is
// trimmed, decoded or normalised first (`new URL()` silently drops tabs and newlines, for
// one). A value that fails is refused with its field path, so nothing reaches a host.
// Scripts still quote every value (pkg/scripts/shell.ts): this is the first of two walls.
import { isIPv4, isIPv6 } from 'node:net';
import { parseCidr } from '../cidr.js';
import type { HostConfig, KubeOneCluster } from '../types.js';
import { Issues, joinPath } from './util.js';

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const RFC1123_HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, at most 253 characters. */
export function isHostname(value: string): boolean {
  return value.length <= 253 && RFC1123_HOSTNAME.test(value);
}

/** An IPv4 or IPv6 address, or an RFC 1123 host name. */
export function isAddress(value: string): boolean {
  return isIPv4(value) || isIPv6(value) || isHostname(value);
}

/** `host`, `host:port`, `[v6]:port`: how a registry is named in image references. */
export function isHostPort(value: string): boolean {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:/[\]]+)(?::(\d{1,5}))?$/.exec(value);
  if (!m) return false;
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) return false;
  const host = m[1]!;
  return host.startsWith('[') ? isIPv6(host.slice(1, -1)) : isIPv4(host) || isHostname(host);
}

/** Path segments a registry or repository name may carry: never empty, `.` or `..`. */
const PATH_SEGMENT = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;

/** A registry (host[:port]) optionally followed by a repository path: `registry.corp:5000/mirror`. */
export function isRegistry(value: string): boolean {
  const [host, ...path] = value.split('/');
  return isHostPort(host!) && path.every((s) => PATH_SEGMENT.test(s));
}

/**
 * Keys of containerRuntime.containerd.registries: `*` (every registry) or a registry name.
 * They become directories under /etc/containerd/certs.d, so no segment may climb out.
 */
export function isRegistryKey(value: string): boolean {
  return value === '*' || isRegistry(value);
}

/** An image reference (`registry/repo/name:tag` or `@sha256:...`): no spaces, quotes or shell characters. */
export function isImageReference(value: string): boolean {
  return value.length <= 512 && /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(value) && !value.includes('//') && !/(^|\/)\.\.?(\/|$)/.test(value);
}

/** Characters RFC 3986 allows in a URL (unreserved, reserved, percent). */
const URL_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

/**
 * An http(s) URL, checked as written: any whitespace, control character, quote, backslash or
 * other character RFC 3986 does not allow is refused before `new URL()` (which would strip
 * some of them) gets to see it. `placeholders` are `{name}` tokens allowed anywhere.
 */
export function httpUrlProblem(value: string, placeholders: readonly string[] = []): string | null {
  let text = value;
  for (const p of placeholders) text = text.replaceAll(`{${p}}`, 'x');
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(text)) return 'must not contain whitespace or control characters';
  if (!URL_CHARS.test(text)) return 'contains characters a URL cannot hold unencoded (quotes, backslash, backtick, braces, ...)';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (!url.hostname) return 'has no host';
  return null;
}

/**
 * proxy.http / proxy.https: `http(s)://[user:password@]host[:port][/]`. Stricter than a URL:
 * `$`, backtick, `;`, quotes and whitespace are refused outright (they end up in systemd
 * environment files and package-manager configs); credentials must be percent-encoded.
 */
export function proxyUrlProblem(value: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(value)) return 'must not contain whitespace or control characters';
  if (/[$`;'"\\]/.test(value)) return 'must not contain $, `, ;, quotes or backslashes (percent-encode them in credentials)';
  const m = /^(https?):\/\/(?:([A-Za-z0-9\-._~!&()*+,=%]+(?::[A-Za-z0-9\-._~!&()*+,=%]*)?)@)?([^/@:[\]]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?\/?$/.exec(value);
  if (!m) return 'must be http(s)://[user:password@]host[:port]';
  const host = m[3]!;
  if (!(host.startsWith('[') ? isIPv6(host.slice(1, -1)) : isIPv4(host) || isHostname(host))) return 'has an invalid host';
  if (m[4] !== undefined && (Number(m[4]) < 1 || Number(m[4]) > 65535)) return 'has an invalid port';
  return null;
}

/** proxy.noProxy: comma-separated host names (`.domain`, `*.domain`), IPs, CIDRs or `*`, each optionally `:port`. */
export function noProxyProblem(value: string): string | null {
  for (const raw of value.split(',')) {
    if (raw === '') continue;
    const entry = raw.replace(/:(\d{1,5})$/, '');
    const host = entry.replace(/^\*?\./, '');
    const ok = entry === '*' || isIPv4(entry) || isIPv6(entry) || parseCidr(entry) !== undefined || isHostname(host);
    if (!ok || /\s/.test(raw)) return `entry ${JSON.stringify(raw)} is not a host name, domain, IP address or CIDR (no spaces)`;
  }
  return null;
}

/** A login name: letters, digits, `.`, `_`, `-`, `@` (directory users); not starting with `-`. */
export function isUserName(value: string): boolean {
  return value.length <= 64 && /^[A-Za-z0-9_.@][A-Za-z0-9_.@-]*\$?$/.test(value);
}

/** Addon names are directory names under addons.path: one plain segment. */
export const ADDON_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A path on the hosts: absolute, plain characters, no `.`/`..` segments. */
export function isHostPath(value: string): boolean {
  return /^\/[A-Za-z0-9._/+@=-]*$/.test(value) && !value.split('/').some((s) => s === '..' || s === '.');
}

/** A path on this machine: anything the filesystem allows except control characters and quotes. */
export function localPathProblem(value: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) return 'must not contain newlines or control characters';
  if (/["'`]/.test(value)) return 'must not contain quotes or backticks';
  return null;
}

/** The file name a bundle gets on the hosts: the last segment of the path (of a URL: of its path, query dropped). */
export function bundleFileNameOf(pathOrUrl: string, isUrl: boolean): string {
  let path = pathOrUrl;
  if (isUrl) {
    try {
      path = new URL(pathOrUrl).pathname;
    } catch {
      path = pathOrUrl.split(/[?#]/)[0]!;
    }
  }
  return path.split('/').pop() ?? '';
}

/** A plain file name: it is joined to a directory on the hosts and must stay inside it. */
export function isPlainFileName(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(value);
}

function hostShapes(h: HostConfig, path: string, out: Issues): void {
  const at = (field: string) => joinPath(path, field);
  for (const field of ['publicAddress', 'privateAddress', 'bastion'] as const) {
    const v = h[field];
    if (v && !isAddress(v)) out.add(at(field), `${JSON.stringify(v)} is not an IP address or an RFC 1123 host name`);
  }
  (h.ipv6Addresses ?? []).forEach((v, i) => {
    if (!isIPv6(v)) out.add(joinPath(at('ipv6Addresses'), i), `${JSON.stringify(v)} is not an IPv6 address`);
  });
  if (h.hostname && !isHostname(h.hostname)) {
    out.add(at('hostname'), `${JSON.stringify(h.hostname)} is not an RFC 1123 host name (letters, digits, "-" and ".", at most 253 characters)`);
  }
  for (const field of ['sshUsername', 'bastionUser'] as const) {
    const v = h[field];
    if (v && !isUserName(v)) out.add(at(field), `${JSON.stringify(v)} is not a user name (letters, digits, ".", "_", "-", "@")`);
  }
  for (const field of ['sshPrivateKeyFile', 'sshCertFile', 'bastionPrivateKeyFile', 'sshAgentSocket'] as const) {
    const v = h[field];
    const problem = v ? localPathProblem(v) : null;
    if (problem) out.add(at(field), problem);
  }
}

function urlShape(value: string | undefined, path: string, out: Issues, placeholders: readonly string[] = []): void {
  if (value === undefined || value === '') return;
  const problem = httpUrlProblem(value, placeholders);
  if (problem) out.add(path, `${JSON.stringify(value)} ${problem}`);
}

const BINARY_PLACEHOLDERS = ['version', 'minor', 'arch'];

/** Every value that can reach a host, in the cluster as loaded (manifest, Terraform output, credentials). */
export function validateShapes(c: KubeOneCluster, out: Issues): void {
  (c.controlPlane?.hosts ?? []).forEach((h, i) => hostShapes(h, joinPath('controlPlane.hosts', i), out));
  (c.staticWorkers?.hosts ?? []).forEach((h, i) => hostShapes(h, joinPath('staticWorkers.hosts', i), out));

  const ep = c.apiEndpoint;
  if (ep?.host && !isAddress(ep.host)) out.add('apiEndpoint.host', `${JSON.stringify(ep.host)} is not an IP address or an RFC 1123 host name`);
  (ep?.alternativeNames ?? []).forEach((name, i) => {
    if (!isAddress(name) && !(name.startsWith('*.') && isHostname(name.slice(2)))) {
      out.add(joinPath('apiEndpoint.alternativeNames', i), `${JSON.stringify(name)} is not an IP address or a DNS name`);
    }
  });

  const domain = c.clusterNetwork?.serviceDomainName;
  if (domain && !isHostname(domain)) out.add('clusterNetwork.serviceDomainName', `${JSON.stringify(domain)} is not a DNS name`);

  const proxy = c.proxy;
  for (const field of ['http', 'https'] as const) {
    const v = proxy?.[field];
    const problem = v ? proxyUrlProblem(v) : null;
    if (problem) out.add(joinPath('proxy', field), problem);
  }
  const noProxy = proxy?.noProxy ? noProxyProblem(proxy.noProxy) : null;
  if (noProxy) out.add('proxy.noProxy', noProxy);

  const containerd = c.containerRuntime?.containerd;
  for (const [key, registry] of Object.entries(containerd?.registries ?? {})) {
    const path = joinPath('containerRuntime.containerd.registries', key);
    if (key !== '_default' && !isRegistryKey(key)) {
      out.add(path, `${JSON.stringify(key)} is not a registry name (host[:port], optionally /path, or "*")`);
    }
    (registry?.mirrors ?? []).forEach((mirror, i) => {
      const mirrorPath = joinPath(joinPath(path, 'mirrors'), i);
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(mirror)) urlShape(mirror, mirrorPath, out);
      else if (!isRegistry(mirror)) out.add(mirrorPath, `${JSON.stringify(mirror)} is not a registry (host[:port][/path]) or an http(s) URL`);
    });
  }
  if (containerd?.sandboxImage && !isImageReference(containerd.sandboxImage)) {
    out.add('containerRuntime.containerd.sandboxImage', `${JSON.stringify(containerd.sandboxImage)} is not an image reference`);
  }
  const overwrite = c.registryConfiguration?.overwriteRegistry;
  if (overwrite && !isRegistry(overwrite)) out.add('registryConfiguration.overwriteRegistry', `${JSON.stringify(overwrite)} is not a registry (host[:port][/path])`);
  const coreDNSRepo = c.features?.coreDNS?.imageRepository;
  if (coreDNSRepo && !isImageReference(coreDNSRepo)) out.add('features.coreDNS.imageRepository', `${JSON.stringify(coreDNSRepo)} is not an image repository`);

  const kb = c.kubernetesBinaries;
  urlShape(kb?.packageRepository?.url, 'kubernetesBinaries.packageRepository.url', out, BINARY_PLACEHOLDERS);
  urlShape(kb?.bundle?.url, 'kubernetesBinaries.bundle.url', out, BINARY_PLACEHOLDERS);
  for (const field of ['url', 'path'] as const) {
    const v = kb?.bundle?.[field];
    if (!v) continue;
    const name = bundleFileNameOf(v.replaceAll('{version}', '1.0.0').replaceAll('{minor}', '1.0').replaceAll('{arch}', 'amd64'), field === 'url');
    const local = field === 'path' ? localPathProblem(v) : null;
    if (local) out.add(`kubernetesBinaries.bundle.${field}`, local);
    else if (!isPlainFileName(name)) out.add(`kubernetesBinaries.bundle.${field}`, `the file name ${JSON.stringify(name)} is not plain (letters, digits, ".", "_", "+", "-")`);
  }

  const audit = c.features?.staticAuditLog?.config;
  if (audit?.logPath && !isHostPath(audit.logPath)) out.add('features.staticAuditLog.config.logPath', `${JSON.stringify(audit.logPath)} is not an absolute path of plain characters without "." or ".." segments`);
  const oidc = c.features?.openidConnect?.config;
  urlShape(oidc?.issuerUrl, 'features.openidConnect.config.issuerUrl', out);
  if (oidc?.caFile && !isHostPath(oidc.caFile)) out.add('features.openidConnect.config.caFile', `${JSON.stringify(oidc.caFile)} is not an absolute path of plain characters without "." or ".." segments`);

  for (const [field, value] of [
    ['certificateAuthority.file', c.certificateAuthority?.file],
    ['addons.path', c.addons?.path],
    ['features.staticAuditLog.config.policyFilePath', audit?.policyFilePath],
    ['features.eventRateLimit.config.configFilePath', c.features?.eventRateLimit?.config?.configFilePath],
    ['features.podNodeSelector.config.configFilePath', c.features?.podNodeSelector?.config?.configFilePath],
  ] as const) {
    const problem = value ? localPathProblem(value) : null;
    if (problem) out.add(field, problem);
  }

  (c.addons?.addons ?? []).forEach((a, i) => {
    if (a.name && !ADDON_NAME.test(a.name)) out.add(joinPath(joinPath('addons.addons', i), 'name'), `${JSON.stringify(a.name)} is not an addon name (one directory name: letters, digits, ".", "_", "-")`);
  });
}

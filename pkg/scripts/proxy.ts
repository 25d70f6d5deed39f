// proxy.http / proxy.https / proxy.noProxy on the hosts. KubeOne 1.14 writes a shell file
// (/etc/kubeone/proxy-env, 0644) that its scripts `source`, appends the variables to
// /etc/environment, points containerd/kubelet drop-ins at /etc/environment and sets the
// package manager's proxy (apt Acquire::*::Proxy, yum `proxy=`). The same effect here, as
// data nobody evaluates:
//   /etc/kubeone/proxy.env        systemd EnvironmentFile syntax, values escaped, read by
//                                 containerd and kubelet through their drop-ins (never sourced)
//   <unit>.service.d/http-proxy.conf   EnvironmentFile=/etc/kubeone/proxy.env
//   /etc/apt/apt.conf.d/90kubeone-proxy (Debian family), `proxy=` in dnf.conf (RHEL family)
//   /etc/kubeone/proxy.curlrc     `curl -K` config for the downloads our scripts make
// Files holding proxy credentials (user:password@) are 0600. /etc/environment is left alone:
// it is world-readable and shell-sourced by many tools.
import type { ProxyConfig } from '../api/types.js';

export const PROXY_ENV_PATH = '/etc/kubeone/proxy.env';
export const CURL_PROXY_PATH = '/etc/kubeone/proxy.curlrc';
export const APT_PROXY_PATH = '/etc/apt/apt.conf.d/90kubeone-proxy';
export const PROXY_DROPIN_NAME = 'http-proxy.conf';
/** The shell file earlier versions of this tool (and KubeOne) wrote and sourced; removed on sight. */
export const LEGACY_PROXY_ENV_PATH = '/etc/kubeone/proxy-env';

export function proxyConfigured(proxy: ProxyConfig | undefined): proxy is ProxyConfig {
  return Boolean(proxy && (proxy.http || proxy.https || proxy.noProxy));
}

/** A proxy URL with user:password@ (or user@): the files holding it must not be world-readable. */
export function proxyHasCredentials(proxy: ProxyConfig | undefined): boolean {
  return [proxy?.http, proxy?.https].some((u) => u !== undefined && /^[a-z]+:\/\/[^/]*@/i.test(u));
}

export function proxyFileMode(proxy: ProxyConfig | undefined): '0600' | '0644' {
  return proxyHasCredentials(proxy) ? '0600' : '0644';
}

/** Refuses what the validation already refused: these renderers must never emit a second line or an unbalanced quote. */
function plain(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\s"'`$\\;\x00-\x1f\x7f]/.test(value)) throw new Error(`${what}: ${JSON.stringify(value)} cannot be written to a host configuration file`);
  return value;
}

/** The variables, both spellings (tools differ in which one they read). */
export function proxyVariables(proxy: ProxyConfig | undefined): [string, string][] {
  if (!proxyConfigured(proxy)) return [];
  const vars: [string, string][] = [];
  if (proxy.http) vars.push(['HTTP_PROXY', plain(proxy.http, 'proxy.http')], ['http_proxy', proxy.http]);
  if (proxy.https) vars.push(['HTTPS_PROXY', plain(proxy.https, 'proxy.https')], ['https_proxy', proxy.https]);
  if (proxy.noProxy) vars.push(['NO_PROXY', plain(proxy.noProxy, 'proxy.noProxy')], ['no_proxy', proxy.noProxy]);
  return vars;
}

/** A value for a systemd EnvironmentFile: double-quoted, with `\`, `"`, `$` and backtick escaped. */
export function systemdEnvValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\n\r\x00]/.test(value)) throw new Error(`an environment file value cannot span lines: ${JSON.stringify(value)}`);
  return `"${value.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}

/** /etc/kubeone/proxy.env, or null without a proxy. */
export function renderProxyEnvFile(proxy: ProxyConfig | undefined): string | null {
  const vars = proxyVariables(proxy);
  if (vars.length === 0) return null;
  return `${vars.map(([k, v]) => `${k}=${systemdEnvValue(v)}`).join('\n')}\n`;
}

/** The drop-in giving a daemon the proxy environment. */
export function renderProxyDropIn(): string {
  return `[Service]\nEnvironmentFile=${PROXY_ENV_PATH}\n`;
}

/** apt's proxy settings (as KubeOne's /etc/apt/apt.conf.d/proxy.conf), or null. */
export function renderAptProxy(proxy: ProxyConfig | undefined): string | null {
  if (!proxy?.http && !proxy?.https) return null;
  const lines: string[] = [];
  if (proxy.https) lines.push(`Acquire::https::Proxy "${plain(proxy.https, 'proxy.https')}";`);
  if (proxy.http) lines.push(`Acquire::http::Proxy "${plain(proxy.http, 'proxy.http')}";`);
  return `${lines.join('\n')}\n`;
}

/** The one proxy dnf/yum and curl use (as KubeOne: https first, else http). */
export function singleProxy(proxy: ProxyConfig | undefined): string | undefined {
  const url = proxy?.https || proxy?.http;
  return url ? plain(url, proxy?.https ? 'proxy.https' : 'proxy.http') : undefined;
}

/** `curl -K` config for the scripts' downloads (bundles, repository keys), or null. */
export function renderCurlProxy(proxy: ProxyConfig | undefined): string | null {
  const url = singleProxy(proxy);
  if (!url) return null;
  const lines = [`proxy = "${url}"`];
  if (proxy?.noProxy) lines.push(`noproxy = "${plain(proxy.noProxy, 'proxy.noProxy')}"`);
  return `${lines.join('\n')}\n`;
}

// host.prerequisites: swap off (now and at boot), kernel modules, sysctls, the base tools
// kubeadm's preflight needs, and the package manager's proxy. Every change is guarded.
import type { ProxyConfig } from '../api/types.js';
import type { OsFamily } from './os-family.js';
import { APT_PROXY_PATH, CURL_PROXY_PATH, LEGACY_PROXY_ENV_PATH, proxyFileMode, proxyHasCredentials, renderAptProxy, renderCurlProxy, singleProxy } from './proxy.js';
import { ENSURE_FILE_FN, ensureFileLines, renderScript, shq } from './shell.js';

export interface PrerequisitesOptions {
  proxy?: ProxyConfig;
  /** IPv6 or dual-stack cluster: also forward IPv6. */
  ipv6?: boolean;
}

export const KERNEL_MODULES = ['overlay', 'br_netfilter'];

export function kernelSysctls(ipv6: boolean): [string, string][] {
  const values: [string, string][] = [
    ['net.bridge.bridge-nf-call-iptables', '1'],
    ['net.bridge.bridge-nf-call-ip6tables', '1'],
    ['net.ipv4.ip_forward', '1'],
    ['fs.inotify.max_user_watches', '1048576'],
    ['fs.inotify.max_user_instances', '8192'],
    ['kernel.panic', '10'],
    ['kernel.panic_on_oops', '1'],
    ['vm.overcommit_memory', '1'],
  ];
  if (ipv6) values.push(['net.ipv6.conf.all.forwarding', '1']);
  return values;
}

const BASE_PACKAGES: Record<Exclude<OsFamily, 'flatcar'>, string[]> = {
  debian: ['ca-certificates', 'curl', 'conntrack', 'socat', 'ethtool', 'iptables', 'iproute2'],
  rhel: ['ca-certificates', 'curl', 'conntrack-tools', 'socat', 'ethtool', 'iptables', 'iproute-tc'],
};

function swapLines(): string[] {
  return [
    '# swap: off now and at boot',
    'if [ -n "$(swapon --noheadings --show 2>/dev/null || true)" ]; then sudo swapoff -a; fi',
    "if grep -Eq '^[^#].*[[:space:]]swap[[:space:]]' /etc/fstab 2>/dev/null; then",
    "  sudo sed -i.kubeone-bak -E 's@^([^#].*[[:space:]]swap[[:space:]].*)$@# \\1 # disabled by kubeone@' /etc/fstab",
    'fi',
  ];
}

function moduleLines(): string[] {
  return [
    '# kernel modules: loaded now (when not already) and at boot',
    ...ensureFileLines('/etc/modules-load.d/kubeone.conf', '0644', KERNEL_MODULES.join('\n')),
    // Checked by effect, not by /sys/module: a module built into the kernel has no entry there.
    'kubeone_module_ready() {',
    '  case "$1" in',
    '    overlay) grep -qw overlay /proc/filesystems ;;',
    '    br_netfilter) [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] ;;',
    '    *) [ -d "/sys/module/$1" ] ;;',
    '  esac',
    '}',
    `for module in ${KERNEL_MODULES.join(' ')}; do`,
    '  if ! kubeone_module_ready "$module"; then sudo modprobe "$module"; fi',
    'done',
  ];
}

function sysctlLines(ipv6: boolean): string[] {
  const values = kernelSysctls(ipv6);
  return [
    '# sysctls: persisted, and applied one by one where the live value differs',
    ...ensureFileLines('/etc/sysctl.d/99-kubeone.conf', '0644', values.map(([k, v]) => `${k} = ${v}`).join('\n')),
    'kubeone_sysctl() {',
    '  local current',
    '  current=$(sysctl -n "$1" 2>/dev/null || echo missing)',
    '  if [ "$current" != "$2" ]; then',
    '    sudo sysctl -w "$1=$2" >/dev/null || echo "kubeone: warning: cannot set $1 (read-only /proc/sys?)" >&2',
    '  fi',
    '}',
    ...values.map(([k, v]) => `kubeone_sysctl ${k} ${v}`),
  ];
}

function packageLines(family: OsFamily): string[] {
  if (family === 'flatcar') return ['# flatcar: no package manager, the base tools ship with the OS'];
  const packages = BASE_PACKAGES[family];
  if (family === 'debian') {
    return [
      '# base tools kubeadm needs',
      'missing=()',
      `for pkg in ${packages.join(' ')}; do`,
      '  dpkg-query -W -f=\'${Status}\' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")',
      'done',
      'if [ ${#missing[@]} -gt 0 ]; then',
      '  sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" \\',
      '    || { sudo apt-get -o DPkg::Lock::Timeout=600 update && sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"; }',
      'fi',
    ];
  }
  return [
    '# base tools kubeadm needs',
    'pm=$(command -v dnf || command -v yum)',
    'missing=()',
    `for pkg in ${packages.join(' ')}; do rpm -q "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done`,
    'if [ ${#missing[@]} -gt 0 ]; then sudo "$pm" install -y "${missing[@]}"; fi',
    '# SELinux permissive (kubeadm static pods need it), now and at boot',
    'if command -v getenforce >/dev/null && [ "$(getenforce)" = "Enforcing" ]; then sudo setenforce 0; fi',
    "if [ -f /etc/selinux/config ] && grep -q '^SELINUX=enforcing' /etc/selinux/config; then",
    "  sudo sed -i 's/^SELINUX=enforcing/SELINUX=permissive/' /etc/selinux/config",
    'fi',
  ];
}

/** Lines removing a file this tool owns, when present. */
function removeLines(path: string): string[] {
  return [`if sudo test -e ${shq(path)}; then sudo rm -f ${shq(path)}; fi`];
}

/** dnf/yum keep their proxy in the [main] section of dnf.conf: one marked line, replaced in place. */
function dnfProxyLines(proxy: ProxyConfig | undefined): string[] {
  const url = singleProxy(proxy);
  const marker = '# kubeone: managed proxy setting below';
  return [
    'conf=/etc/dnf/dnf.conf; [ -f "$conf" ] || conf=/etc/yum.conf',
    `want=${url ? shq(`proxy=${url}`) : "''"}`,
    `current=$(sudo sed -n ${shq(`/^${marker}$/{n;p;}`)} "$conf" 2>/dev/null || true)`,
    'if [ "$current" != "$want" ] && sudo test -f "$conf"; then',
    `  sudo sed -i ${shq(`/^${marker}$/,+1d`)} "$conf"`,
    `  if [ -n "$want" ]; then printf '%s\\n%s\\n' ${shq(marker)} "$want" | sudo tee -a "$conf" >/dev/null; fi`,
    'fi',
    // With credentials in it, dnf.conf is readable by root only.
    ...(proxyHasCredentials(proxy) ? ['if sudo test -f "$conf"; then sudo chmod 0600 "$conf"; fi'] : []),
  ];
}

/**
 * The package manager's and the downloads' proxy (pkg/scripts/proxy.ts). Nothing here is
 * sourced: each tool reads its own configuration file.
 */
function proxyLines(family: OsFamily, proxy: ProxyConfig | undefined): string[] {
  const mode = proxyFileMode(proxy);
  const curl = renderCurlProxy(proxy);
  const lines = [
    '# proxy: package manager and downloads read their own config files (nothing is sourced)',
    // The shell file earlier versions wrote world-readable (KubeOne still sources its own copy): root only.
    `if sudo test -f ${LEGACY_PROXY_ENV_PATH}; then sudo chmod 0600 ${LEGACY_PROXY_ENV_PATH}; fi`,
    ...(curl ? ensureFileLines(CURL_PROXY_PATH, mode, curl) : removeLines(CURL_PROXY_PATH)),
  ];
  if (family === 'debian') {
    const apt = renderAptProxy(proxy);
    lines.push(...(apt ? ensureFileLines(APT_PROXY_PATH, mode, apt) : removeLines(APT_PROXY_PATH)));
  } else if (family === 'rhel') {
    lines.push(...dnfProxyLines(proxy));
  }
  return lines;
}

export function renderPrerequisites(family: OsFamily, opts: PrerequisitesOptions = {}): string {
  return renderScript(
    ENSURE_FILE_FN,
    proxyLines(family, opts.proxy),
    swapLines(),
    moduleLines(),
    sysctlLines(Boolean(opts.ipv6)),
    packageLines(family),
    ['sudo mkdir -p /var/lib/kubeone /etc/kubeone', `echo ${shq('prerequisites in place')}`],
  );
}

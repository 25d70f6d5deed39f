// host.binaries.install / host.binaries.remove: kubeadm, kubelet, kubectl either from a
// package repository (held at the version) or from a node-binaries bundle (a tarball with
// kubernetes/node/bin/*). Components already at the version are left alone.
import type { KubernetesBinaries } from '../api/types.js';
import { bundleFileNameOf, isPlainFileName } from '../api/validate/shapes.js';
import { binDirFor, type OsFamily } from './os-family.js';
import { KUBEADM_DROPIN_PATH, KUBELET_UNIT_PATH, kubeletRestartLines, renderKubeadmDropIn, renderKubeletUnit } from './kubelet-unit.js';
import { CURL_PROXY_PATH } from './proxy.js';
import { ENSURE_FILE_FN, ensureFileLines, pathInside, renderScript, shq } from './shell.js';

export type KubeComponent = 'kubeadm' | 'kubelet' | 'kubectl';
export const ALL_COMPONENTS: KubeComponent[] = ['kubeadm', 'kubelet', 'kubectl'];
export const BINARIES_RECORD_PATH = '/etc/kubeone/binaries.json';
/** Where an uploaded (or host-fetched) bundle is kept on the host. */
export const BUNDLE_DIR = '/var/lib/kubeone/bundles';
/** The project's documented default package repository (brief: kubernetesBinaries). */
export const DEFAULT_PACKAGE_REPOSITORY = 'https://pkgs.k8s.io/core:/stable:/v{minor}/deb/';

export interface BinariesInstallOptions {
  version: string;
  components: KubeComponent[];
  arch: string;
  /** apply --force-install: install again even when the installed ones are at the version. */
  force?: boolean;
}

const KUBE_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const ARCH = /^[a-z0-9_]+$/;

/**
 * Versions and architectures reach package names, paths and URLs: the manifest validation
 * and the plan-file checks see them first, the renderers refuse anything else all the same.
 */
export function checkVersionAndArch(version: string, arch: string): void {
  if (!KUBE_VERSION.test(version)) throw new Error(`not a Kubernetes version: ${JSON.stringify(version)}`);
  if (!ARCH.test(arch)) throw new Error(`not an architecture: ${JSON.stringify(arch)}`);
}

/** Fills {version}, {minor}, {arch}. */
export function expandBinariesTemplate(template: string, version: string, arch: string): string {
  checkVersionAndArch(version, arch);
  const minor = version.split('.').slice(0, 2).join('.');
  return template.replaceAll('{version}', version).replaceAll('{minor}', minor).replaceAll('{arch}', arch);
}

/** The bundle's file name on the hosts (under BUNDLE_DIR): the last path segment, query dropped. */
export function bundleFileName(source: KubernetesBinaries['bundle'], version: string, arch: string): string {
  const template = source?.path ?? source?.url ?? '';
  const name = bundleFileNameOf(expandBinariesTemplate(template, version, arch), !source?.path) || `kubernetes-node-linux-${arch}-v${version}.tar.gz`;
  if (!isPlainFileName(name)) throw new Error(`kubernetesBinaries.bundle: the file name ${JSON.stringify(name)} is not plain`);
  return name;
}

/** Where the bundle is kept on the host; the name is checked to stay inside BUNDLE_DIR. */
export function bundleRemotePath(source: KubernetesBinaries['bundle'], version: string, arch: string): string {
  return pathInside(BUNDLE_DIR, bundleFileName(source, version, arch));
}

/** `curl` with the proxy config when prerequisites wrote one (`curl -K`: nothing is sourced). */
const CURL_FN = [
  'kubeone_curl() {',
  `  if sudo test -f ${CURL_PROXY_PATH}; then sudo curl -K ${CURL_PROXY_PATH} "$@"; else sudo curl "$@"; fi`,
  '}',
];

function checkComponents(components: readonly string[]): void {
  for (const c of components) if (!(ALL_COMPONENTS as readonly string[]).includes(c)) throw new Error(`not a Kubernetes component: ${JSON.stringify(c)}`);
}

function recordLines(origin: 'bundle' | 'package', version: string): string[] {
  checkVersionAndArch(version, 'amd64');
  return ensureFileLines(BINARIES_RECORD_PATH, '0644', JSON.stringify({ origin, version }));
}

function restartKubeletIfChanged(): string[] {
  return [
    'if [ "$kubelet_changed" = 1 ] && systemctl is-active --quiet kubelet; then',
    ...kubeletRestartLines().map((l) => `  ${l}`),
    'fi',
  ];
}

/**
 * Bundle: the tarball is at `remoteTarball` (uploaded by the executor) or fetched from `url`
 * by the host. Components are installed only when their bytes differ.
 */
export function renderBundleInstall(
  family: OsFamily,
  opts: BinariesInstallOptions & { remoteTarball: string; url?: string },
): string {
  const binDir = binDirFor(family);
  checkVersionAndArch(opts.version, opts.arch);
  checkComponents(opts.components);
  const fetch = opts.url
    ? [
        ...CURL_FN,
        `if ! sudo test -s ${shq(opts.remoteTarball)}; then`,
        `  sudo mkdir -p ${BUNDLE_DIR}`,
        `  kubeone_curl -fsSL --retry 3 -o ${shq(`${opts.remoteTarball}.part`)} ${shq(opts.url)}`,
        `  sudo mv ${shq(`${opts.remoteTarball}.part`)} ${shq(opts.remoteTarball)}`,
        'fi',
      ]
    : [`sudo test -s ${shq(opts.remoteTarball)} || { echo ${shq(`kubeone: bundle ${opts.remoteTarball} missing on host`)} >&2; exit 1; }`];
  return renderScript(ENSURE_FILE_FN, fetch, [
    'work=$(mktemp -d)',
    'trap \'sudo rm -rf "$work"\' EXIT',
    `sudo tar -xzf ${shq(opts.remoteTarball)} -C "$work"`,
    'sudo test -d "$work/kubernetes/node/bin" || { echo "kubeone: bundle has no kubernetes/node/bin" >&2; exit 1; }',
    'kubelet_changed=0',
    `sudo mkdir -p ${binDir}`,
    `for component in ${opts.components.join(' ')}; do`,
    `  if ${opts.force ? 'true' : `! sudo cmp -s "$work/kubernetes/node/bin/$component" "${binDir}/$component"`}; then`,
    `    sudo install -m 0755 "$work/kubernetes/node/bin/$component" "${binDir}/$component.kubeone-new"`,
    `    sudo mv -f "${binDir}/$component.kubeone-new" "${binDir}/$component"`,
    '    if [ "$component" = kubelet ]; then kubelet_changed=1; fi',
    '  fi',
    'done',
    'unit_changed=0',
    ...ensureFileLines(KUBELET_UNIT_PATH, '0644', renderKubeletUnit(binDir), ['unit_changed=1']),
    ...ensureFileLines(KUBEADM_DROPIN_PATH, '0644', renderKubeadmDropIn(binDir), ['unit_changed=1']),
    'if [ "$unit_changed" = 1 ]; then sudo systemctl daemon-reload; fi',
    'if ! systemctl is-enabled --quiet kubelet; then sudo systemctl enable kubelet; fi',
    ...restartKubeletIfChanged(),
    ...recordLines('bundle', opts.version),
  ]);
}

/**
 * Installed and held beside the kube packages, unpinned, as KubeOne does: the CNI plugins and
 * crictl (which `apply --prune-images` uses). Removing the binaries leaves them (they may serve
 * other software on the host; KubeOne purges them).
 */
export const COMPANION_PACKAGES = ['kubernetes-cni', 'cri-tools'] as const;

function rpmRepoUrl(debUrl: string): string {
  return debUrl.replace(/\/deb\/?$/, '/rpm/');
}

/**
 * Package repository: Debian/Ubuntu (apt, held) or RHEL family (dnf/yum, versionlocked).
 * `configureRepository: false` (systemPackages.configureRepositories) installs from the
 * repositories the host already has, without adding Kubernetes' own.
 */
export function renderPackageInstall(family: OsFamily, opts: BinariesInstallOptions & { repositoryUrl: string; configureRepository?: boolean }): string {
  if (family === 'flatcar') {
    throw new Error('flatcar has no package manager: set kubernetesBinaries.bundle (url or path)');
  }
  const repo = expandBinariesTemplate(opts.repositoryUrl, opts.version, opts.arch);
  // The URL becomes a line of an apt source / yum repo file: one line, nothing else.
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(repo)) throw new Error(`kubernetesBinaries.packageRepository.url: ${JSON.stringify(repo)} contains whitespace or control characters`);
  checkComponents(opts.components);
  const pkgs = opts.components;
  const version = shq(opts.version);
  if (family === 'debian') {
    const list = `deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] ${repo.replace(/\/?$/, '/')} /`;
    const repository = [
      'repo_changed=0',
      ...ensureFileLines('/etc/apt/sources.list.d/kubernetes.list', '0644', list, ['repo_changed=1']),
      'if [ "$repo_changed" = 1 ] || ! sudo test -s /etc/apt/keyrings/kubernetes-apt-keyring.gpg; then',
      // gpg only for the repository key: hosts using bundles never need it.
      '  command -v gpg >/dev/null || sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends gnupg',
      '  sudo mkdir -p -m 0755 /etc/apt/keyrings',
      `  kubeone_curl -fsSL ${shq(`${repo.replace(/\/?$/, '/')}Release.key`)} | sudo gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg`,
      '  sudo apt-get -o DPkg::Lock::Timeout=600 update',
      'fi',
    ];
    return renderScript(ENSURE_FILE_FN, CURL_FN, [
      ...(opts.configureRepository === false ? [] : repository),
      'kubelet_changed=0',
      'wanted=()',
      `for pkg in ${pkgs.join(' ')}; do`,
      `  current=$(dpkg-query -W -f='\${Version}' "$pkg" 2>/dev/null || true)`,
      opts.force
        ? `  wanted+=("$pkg="${version}"-*"); if [ "$pkg" = kubelet ]; then kubelet_changed=1; fi`
        : `  case "$current" in ${version}-*) ;; *) wanted+=("$pkg="${version}"-*"); if [ "$pkg" = kubelet ]; then kubelet_changed=1; fi ;; esac`,
      'done',
      'if [ ${#wanted[@]} -gt 0 ]; then',
      `  sudo apt-mark unhold ${pkgs.join(' ')} >/dev/null 2>&1 || true`,
      `  sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y${opts.force ? ' --reinstall' : ''} --allow-downgrades --allow-change-held-packages "\${wanted[@]}" \\`,
      `    || { sudo apt-get -o DPkg::Lock::Timeout=600 update && sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y${opts.force ? ' --reinstall' : ''} --allow-downgrades --allow-change-held-packages "\${wanted[@]}"; }`,
      'fi',
      'companions=()',
      `for pkg in ${COMPANION_PACKAGES.join(' ')}; do`,
      '  dpkg-query -W -f=\'${Status}\' "$pkg" 2>/dev/null | grep -q "install ok installed" || companions+=("$pkg")',
      'done',
      'if [ ${#companions[@]} -gt 0 ]; then',
      '  sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends --allow-change-held-packages "${companions[@]}" \\',
      '    || { sudo apt-get -o DPkg::Lock::Timeout=600 update && sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends --allow-change-held-packages "${companions[@]}"; }',
      'fi',
      `sudo apt-mark hold ${[...pkgs, ...COMPANION_PACKAGES].join(' ')} >/dev/null`,
      'if ! systemctl is-enabled --quiet kubelet; then sudo systemctl enable kubelet; fi',
      ...restartKubeletIfChanged(),
      ...recordLines('package', opts.version),
    ]);
  }
  const repoFile = [
    '[kubernetes]',
    'name=Kubernetes',
    `baseurl=${rpmRepoUrl(repo)}`,
    'enabled=1',
    'gpgcheck=1',
    `gpgkey=${rpmRepoUrl(repo)}repodata/repomd.xml.key`,
    'exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni',
  ].join('\n');
  return renderScript(ENSURE_FILE_FN, [
    'pm=$(command -v dnf || command -v yum)',
    ...(opts.configureRepository === false ? [] : ensureFileLines('/etc/yum.repos.d/kubernetes.repo', '0644', repoFile, ['sudo "$pm" clean all'])),
    'kubelet_changed=0',
    'wanted=()',
    `for pkg in ${pkgs.join(' ')}; do`,
    `  current=$(rpm -q --qf '%{VERSION}' "$pkg" 2>/dev/null || true)`,
    `  if ${opts.force ? 'true' : `[ "$current" != ${version} ]`}; then wanted+=("$pkg-"${version}); if [ "$pkg" = kubelet ]; then kubelet_changed=1; fi; fi`,
    'done',
    'if [ ${#wanted[@]} -gt 0 ]; then',
    `  sudo "$pm" versionlock delete ${pkgs.join(' ')} >/dev/null 2>&1 || true`,
    // --force-install: reinstall what is there at the version; install what is not.
    `  ${opts.force ? `sudo "$pm" reinstall -y --disableexcludes=${opts.configureRepository === false ? 'all' : 'kubernetes'} "\${wanted[@]}" || ` : ''}sudo "$pm" install -y --disableexcludes=${opts.configureRepository === false ? 'all' : 'kubernetes'} "\${wanted[@]}"`,
    `  sudo "$pm" versionlock add ${pkgs.join(' ')} >/dev/null 2>&1 || true`,
    'fi',
    'companions=()',
    `for pkg in ${COMPANION_PACKAGES.join(' ')}; do rpm -q "$pkg" >/dev/null 2>&1 || companions+=("$pkg"); done`,
    'if [ ${#companions[@]} -gt 0 ]; then',
    `  sudo "$pm" install -y --disableexcludes=${opts.configureRepository === false ? 'all' : 'kubernetes'} "\${companions[@]}"`,
    `  sudo "$pm" versionlock add ${COMPANION_PACKAGES.join(' ')} >/dev/null 2>&1 || true`,
    'fi',
    'if ! systemctl is-enabled --quiet kubelet; then sudo systemctl enable kubelet; fi',
    ...restartKubeletIfChanged(),
    ...recordLines('package', opts.version),
  ]);
}

/** host.binaries.remove: by the recorded origin (package purge, or bundle files). */
export function renderBinariesRemove(family: OsFamily): string {
  const binDir = binDirFor(family);
  const purge =
    family === 'debian'
      ? [
          '  for pkg in kubeadm kubelet kubectl; do',
          '    if dpkg-query -W -f=\'${Status}\' "$pkg" 2>/dev/null | grep -q "install ok installed"; then',
          '      sudo apt-mark unhold "$pkg" >/dev/null 2>&1 || true',
          '      sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 remove -y --purge "$pkg"',
          '    fi',
          '  done',
        ]
      : family === 'rhel'
        ? [
            '  pm=$(command -v dnf || command -v yum)',
            '  for pkg in kubeadm kubelet kubectl; do',
            '    if rpm -q "$pkg" >/dev/null 2>&1; then',
            '      sudo "$pm" versionlock delete "$pkg" >/dev/null 2>&1 || true',
            '      sudo "$pm" remove -y "$pkg"',
            '    fi',
            '  done',
          ]
        : ['  :'];
  return renderScript([
    'origin=$(sudo sed -n \'s/.*"origin":"\\([a-z]*\\)".*/\\1/p\' ' + BINARIES_RECORD_PATH + ' 2>/dev/null || true)',
    'if systemctl is-active --quiet kubelet; then sudo systemctl stop kubelet; fi',
    'if [ "$origin" = package ]; then',
    ...purge,
    'fi',
    `for component in kubeadm kubelet kubectl; do`,
    `  if sudo test -e "${binDir}/$component"; then sudo rm -f "${binDir}/$component"; fi`,
    'done',
    `unit_removed=0`,
    `for unit in ${KUBELET_UNIT_PATH} ${KUBEADM_DROPIN_PATH}; do`,
    '  if sudo test -e "$unit"; then sudo rm -f "$unit"; unit_removed=1; fi',
    'done',
    'if [ "$unit_removed" = 1 ]; then sudo systemctl daemon-reload; fi',
    `sudo rm -rf ${BUNDLE_DIR} ${BINARIES_RECORD_PATH}`,
  ]);
}

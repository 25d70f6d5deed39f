// host.containerd.install, as KubeOne 1.14 installs containerd: with
// systemPackages.configureRepositories (the default) from Docker's repository (`containerd.io`
// 2.2.x, held at that minor); without it from the repositories the host already has. Unlike
// KubeOne, which then still insists on `containerd.io`, the distribution's own `containerd`
// package is taken when no configured repository offers `containerd.io` (plain Debian/Ubuntu
// mirrors, air-gapped hosts with a distribution mirror only). An installed containerd, from
// either package, is left as it is. Flatcar ships containerd. Enabled and started.
import type { OsFamily } from './os-family.js';
import { ENSURE_FILE_FN, ensureFileLines, renderScript } from './shell.js';

/** The containerd.io minor KubeOne installs from Docker's repository. */
export const CONTAINERD_IO_VERSION = '2.2.*';

export interface ContainerdInstallOptions {
  /** systemPackages.configureRepositories: add Docker's package repository first. */
  configureRepositories: boolean;
}

/** Flatcar ships containerd; point it at our config file. */
export const FLATCAR_CONTAINERD_DROPIN = `[Service]
ExecStart=
ExecStart=/usr/bin/env PATH=\${TORCX_BINDIR}:\${PATH} containerd --config /etc/containerd/config.toml
`;

const APT = 'sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600';
const APT_INSTALL = `${APT} install -y --no-install-recommends -o Dpkg::Options::=--force-confold`;

function debianLines(opts: ContainerdInstallOptions): string[] {
  const repository = opts.configureRepositories
    ? [
        '  # Docker\'s repository, as KubeOne configures it (distribution and codename from os-release).',
        '  . /etc/os-release',
        '  if ! sudo test -s /etc/apt/sources.list.d/docker.list; then',
        `    command -v curl >/dev/null && command -v gpg >/dev/null || { ${APT} update && ${APT_INSTALL} ca-certificates curl gnupg; }`,
        '    sudo install -m 0755 -d /etc/apt/keyrings',
        '    curl -fsSL "https://download.docker.com/linux/${ID}/gpg" | sudo gpg --batch --yes --dearmor -o /etc/apt/keyrings/docker.gpg',
        '    sudo chmod a+r /etc/apt/keyrings/docker.gpg',
        '    echo "deb [signed-by=/etc/apt/keyrings/docker.gpg] https://download.docker.com/linux/${ID} ${VERSION_CODENAME} stable" | sudo tee /etc/apt/sources.list.d/docker.list >/dev/null',
        '  fi',
        `  ${APT} update`,
        '  pkg="containerd.io"',
      ]
    : [
        '  # The host\'s own repositories: containerd.io when one of them offers it, else the distribution\'s containerd.',
        "  candidate() { apt-cache policy \"$1\" 2>/dev/null | grep -q 'Candidate: [0-9]'; }",
        // An empty package cache knows neither: refresh it once.
        `  if ! candidate containerd.io && ! candidate containerd; then ${APT} update; fi`,
        '  if candidate containerd.io; then pkg=containerd.io; else pkg=containerd; fi',
      ];
  return [
    "installed() { dpkg-query -W -f='${Status}' \"$1\" 2>/dev/null | grep -q 'install ok installed'; }",
    'if ! installed containerd.io && ! installed containerd; then',
    ...repository,
    '  if [ "$pkg" = containerd.io ]; then',
    '    sudo apt-mark unhold containerd.io >/dev/null 2>&1 || true',
    `    ${APT_INSTALL} "containerd.io=${CONTAINERD_IO_VERSION}"`,
    '    sudo apt-mark hold containerd.io >/dev/null',
    '  else',
    `    ${APT_INSTALL} containerd || { ${APT} update && ${APT_INSTALL} containerd; }`,
    '  fi',
    'fi',
  ];
}

function rhelLines(opts: ContainerdInstallOptions): string[] {
  const repository = opts.configureRepositories
    ? [
        '  # Docker\'s repository, as KubeOne configures it.',
        '  if ! sudo test -s /etc/yum.repos.d/docker-ce.repo; then',
        '    sudo curl -fsSL -o /etc/yum.repos.d/docker-ce.repo https://download.docker.com/linux/rhel/docker-ce.repo',
        '  fi',
        '  pkg="containerd.io"',
      ]
    : ['  if "$pm" list --available containerd.io >/dev/null 2>&1; then pkg=containerd.io; else pkg=containerd; fi'];
  return [
    'pm=$(command -v dnf || command -v yum)',
    'if ! rpm -q containerd.io >/dev/null 2>&1 && ! rpm -q containerd >/dev/null 2>&1; then',
    ...repository,
    '  if [ "$pkg" = containerd.io ]; then',
    '    sudo "$pm" versionlock delete containerd.io >/dev/null 2>&1 || true',
    `    sudo "$pm" install -y "containerd.io-${CONTAINERD_IO_VERSION}"`,
    '    sudo "$pm" versionlock add containerd.io >/dev/null 2>&1 || true',
    '  else',
    '    sudo "$pm" install -y containerd',
    '  fi',
    'fi',
  ];
}

function installLines(family: OsFamily, opts: ContainerdInstallOptions): string[] {
  switch (family) {
    case 'debian':
      return debianLines(opts);
    case 'rhel':
      return rhelLines(opts);
    case 'flatcar':
      return [
        '# flatcar ships containerd: only point it at /etc/containerd/config.toml',
        ...ensureFileLines('/etc/systemd/system/containerd.service.d/10-kubeone.conf', '0644', FLATCAR_CONTAINERD_DROPIN, [
          'sudo systemctl daemon-reload',
        ]),
      ];
  }
}

export function renderContainerdInstall(family: OsFamily, opts: ContainerdInstallOptions = { configureRepositories: true }): string {
  return renderScript(ENSURE_FILE_FN, installLines(family, opts), [
    'if ! systemctl is-enabled --quiet containerd; then sudo systemctl enable containerd; fi',
    'if ! systemctl is-active --quiet containerd; then sudo systemctl start containerd; fi',
    'containerd --version',
  ]);
}

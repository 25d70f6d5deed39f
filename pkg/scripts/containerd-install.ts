// host.containerd.install: containerd from the OS repositories (Debian/Ubuntu `containerd`,
// RHEL family `containerd` through dnf/yum), the one shipped with Flatcar. Enabled and started.
import type { OsFamily } from './os-family.js';
import { ENSURE_FILE_FN, ensureFileLines, renderScript } from './shell.js';

/** Flatcar ships containerd; point it at our config file. */
export const FLATCAR_CONTAINERD_DROPIN = `[Service]
ExecStart=
ExecStart=/usr/bin/env PATH=\${TORCX_BINDIR}:\${PATH} containerd --config /etc/containerd/config.toml
`;

function installLines(family: OsFamily): string[] {
  switch (family) {
    case 'debian':
      return [
        "if ! dpkg-query -W -f='${Status}' containerd 2>/dev/null | grep -q 'install ok installed'; then",
        '  sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends -o Dpkg::Options::=--force-confold containerd \\',
        '    || { sudo apt-get -o DPkg::Lock::Timeout=600 update && sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends -o Dpkg::Options::=--force-confold containerd; }',
        'fi',
      ];
    case 'rhel':
      return [
        'pm=$(command -v dnf || command -v yum)',
        'if ! rpm -q containerd >/dev/null 2>&1 && ! rpm -q containerd.io >/dev/null 2>&1; then',
        '  sudo "$pm" install -y containerd',
        'fi',
      ];
    case 'flatcar':
      return [
        '# flatcar ships containerd: only point it at /etc/containerd/config.toml',
        ...ensureFileLines('/etc/systemd/system/containerd.service.d/10-kubeone.conf', '0644', FLATCAR_CONTAINERD_DROPIN, [
          'sudo systemctl daemon-reload',
        ]),
      ];
  }
}

export function renderContainerdInstall(family: OsFamily): string {
  return renderScript(ENSURE_FILE_FN, installLines(family), [
    'if ! systemctl is-enabled --quiet containerd; then sudo systemctl enable containerd; fi',
    'if ! systemctl is-active --quiet containerd; then sudo systemctl start containerd; fi',
    'containerd --version',
  ]);
}

// Which script family a host gets, from the probed /etc/os-release ID (or the manifest's
// operatingSystem override). Unknown IDs are an error naming the host.

export type OsFamily = 'debian' | 'rhel' | 'flatcar';

const FAMILY_BY_ID: Record<string, OsFamily> = {
  debian: 'debian',
  ubuntu: 'debian',
  centos: 'rhel',
  rhel: 'rhel',
  rocky: 'rhel',
  rockylinux: 'rhel',
  almalinux: 'rhel',
  fedora: 'rhel',
  flatcar: 'flatcar',
};

export class UnsupportedOsError extends Error {
  constructor(readonly host: string, readonly osId: string) {
    super(`${host}: operating system "${osId}" is not supported (supported: ${Object.keys(FAMILY_BY_ID).join(', ')})`);
    this.name = 'UnsupportedOsError';
  }
}

export function osFamily(host: string, osId: string | undefined): OsFamily {
  const family = FAMILY_BY_ID[(osId ?? '').toLowerCase()];
  if (!family) throw new UnsupportedOsError(host, osId ?? '');
  return family;
}

/**
 * The operating-system name KubeOne gives a host (and puts in the Node's
 * v1.kubeone.io/operating-system label): the manifest's operatingSystem, else the os-release ID
 * with Rocky Linux's `rocky` spelled `rockylinux`. Undefined for an ID kubeone does not support.
 */
export function kubeoneOsName(manifestOs: string | undefined, osReleaseId: string | undefined): string | undefined {
  if (manifestOs) return manifestOs;
  const id = (osReleaseId ?? '').toLowerCase();
  if (!(id in FAMILY_BY_ID)) return undefined;
  return id === 'rocky' ? 'rockylinux' : id;
}

/** Where kube binaries from a bundle go: /usr is read-only on Flatcar. */
export function binDirFor(family: OsFamily): string {
  return family === 'flatcar' ? '/opt/bin' : '/usr/local/bin';
}

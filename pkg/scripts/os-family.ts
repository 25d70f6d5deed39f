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

/** Where kube binaries from a bundle go: /usr is read-only on Flatcar. */
export function binDirFor(family: OsFamily): string {
  return family === 'flatcar' ? '/opt/bin' : '/usr/local/bin';
}

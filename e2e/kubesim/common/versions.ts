// Kubernetes versions the simulator is built for, the version baked into a
// bundle, and the image tags kubeadm uses per minor release.

/** Versions of the node-binaries tarballs (npm run build:kubesim). */
export const SIM_VERSIONS = ['1.34.3', '1.35.1', '1.36.0'] as const;

declare const __KUBESIM_VERSION__: string | undefined;

/** "v1.35.1": set by esbuild's define in a bundle, else KUBESIM_VERSION (tests). */
export function bakedVersion(): string {
  const v = typeof __KUBESIM_VERSION__ !== 'undefined' ? __KUBESIM_VERSION__ : process.env.KUBESIM_VERSION ?? 'v1.35.1';
  return v.startsWith('v') ? v : `v${v}`;
}

export interface Semver {
  major: number;
  minor: number;
  patch: number;
  pre: string;
}

export function parseVersion(text: string): Semver | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ?? '' };
}

export function compareVersions(a: Semver, b: Semver): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || (a.pre === b.pre ? 0 : a.pre === '' ? 1 : b.pre === '' ? -1 : a.pre < b.pre ? -1 : 1);
}

export function formatVersion(v: Semver): string {
  return `v${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}`;
}

const ETCD_BY_MINOR: Record<number, string> = { 33: '3.5.21-0', 34: '3.6.4-0', 35: '3.6.6-0', 36: '3.6.6-0' };
const COREDNS_BY_MINOR: Record<number, string> = { 33: 'v1.12.0', 34: 'v1.12.1', 35: 'v1.13.1', 36: 'v1.13.1' };
export const PAUSE_TAG = '3.10.1';
export const DEFAULT_IMAGE_REPOSITORY = 'registry.k8s.io';

export function etcdTag(minor: number): string {
  return ETCD_BY_MINOR[minor] ?? ETCD_BY_MINOR[36]!;
}

export function corednsTag(minor: number): string {
  return COREDNS_BY_MINOR[minor] ?? COREDNS_BY_MINOR[36]!;
}

/** Image tag of a control-plane image: "registry.k8s.io/kube-apiserver:v1.35.1" -> "v1.35.1". */
export function imageTag(image: string): string {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? image.slice(at + 1) : 'latest';
}

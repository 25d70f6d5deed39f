// The Kubernetes versions mirror-images copies when none are given: as KubeOne, every patch
// release of every supported minor, from x.y.0 to the latest one the release channel names
// (https://dl.k8s.io/release/stable-1.NN.txt).
import { KUBEADM_IMAGE_MINORS } from '../kubeadm/images.js';

export const RELEASE_CHANNEL = 'https://dl.k8s.io/release';

export type FetchText = (url: string) => Promise<string>;

export const fetchText: FetchText = async (url) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
};

export async function defaultMirrorVersions(get: FetchText = fetchText, channel = RELEASE_CHANNEL): Promise<string[]> {
  const perMinor = await Promise.all(
    KUBEADM_IMAGE_MINORS.map(async (minor) => {
      const url = `${channel}/stable-1.${minor}.txt`;
      const latest = (await get(url)).trim();
      const m = /^v?1\.(\d+)\.(\d+)$/.exec(latest);
      if (!m || Number(m[1]) !== minor) throw new Error(`${url}: expected a 1.${minor}.x version, got ${JSON.stringify(latest.slice(0, 40))}`);
      return Array.from({ length: Number(m[2]) + 1 }, (_, patch) => `1.${minor}.${patch}`);
    }),
  );
  return perMinor.flat();
}

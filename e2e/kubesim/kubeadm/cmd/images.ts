// kubeadm config images list|pull and kubeadm version.
import { bakedVersion, parseVersion, PAUSE_TAG } from '../../common/versions.js';
import type { ClusterConfig } from '../config/types.js';
import { image } from '../manifests.js';
import { out } from '../output.js';
import { corednsImage, kubeProxyImage } from '../phases/addons.js';

export function imageList(cfg: ClusterConfig): string[] {
  const list = [image(cfg, 'kube-apiserver'), image(cfg, 'kube-controller-manager'), image(cfg, 'kube-scheduler')];
  if (!cfg.proxy.disabled) list.push(kubeProxyImage(cfg));
  if (!cfg.dns.disabled) list.push(corednsImage(cfg));
  list.push(`${cfg.imageRepository}/pause:${PAUSE_TAG}`);
  if (cfg.etcd.local) list.push(image(cfg, 'etcd'));
  return list;
}

export function imagesList(cfg: ClusterConfig, output?: string): void {
  const images = imageList(cfg);
  if (output === 'json') {
    out(JSON.stringify({ kind: 'Images', apiVersion: 'output.kubeadm.k8s.io/v1alpha3', images }, null, 4));
    return;
  }
  for (const i of images) out(i);
}

export function imagesPull(cfg: ClusterConfig): void {
  // Nothing to fetch: every component is part of the simulator's bundle.
  for (const i of imageList(cfg)) out(`[config/images] Pulled ${i}`);
}

export function versionInfo(): Record<string, string> {
  const v = bakedVersion();
  const sv = parseVersion(v)!;
  return {
    major: String(sv.major),
    minor: String(sv.minor),
    emulationMajor: String(sv.major),
    emulationMinor: String(sv.minor),
    minCompatibilityMajor: String(sv.major),
    minCompatibilityMinor: String(sv.minor - 1),
    gitVersion: v,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.25.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function printVersion(output?: string): void {
  const info = versionInfo();
  if (output === 'short') out(info.gitVersion);
  else if (output === 'json') out(JSON.stringify({ clientVersion: info }, null, 2));
  else if (output === 'yaml') out(`clientVersion:\n${Object.entries(info).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n')}`);
  else {
    const cap = (k: string): string => k[0]!.toUpperCase() + k.slice(1);
    out(`kubeadm version: &version.Info{${Object.entries(info).map(([k, v]) => `${cap(k)}:"${v}"`).join(', ')}}`);
  }
}

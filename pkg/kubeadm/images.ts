// The images kubeadm pulls for a control plane (`kubeadm config images list`): the
// kube-apiserver, kube-controller-manager, kube-scheduler and kube-proxy of the version,
// etcd and CoreDNS at the tags that kubeadm release pins (its constants DefaultEtcdVersion
// and CoreDNSVersion), and the pause image kubeadm and containerd use as sandbox.
import type { KubeOneCluster } from '../api/types.js';
import { parseVersion } from '../api/validate/cloud.js';
import { pauseImageTag, sandboxImage } from '../scripts/containerd-config.js';

export const KUBERNETES_REGISTRY = 'registry.k8s.io';

/** kubeadm's pinned etcd and CoreDNS tags per minor release (cmd/kubeadm/app/constants). */
const KUBEADM_PINS: Readonly<Record<number, { etcd: string; coredns: string }>> = {
  34: { etcd: '3.6.4-0', coredns: 'v1.12.1' },
  35: { etcd: '3.6.6-0', coredns: 'v1.13.1' },
  36: { etcd: '3.6.6-0', coredns: 'v1.13.1' },
};

/** Minor releases whose kubeadm images are known. */
export const KUBEADM_IMAGE_MINORS: readonly number[] = Object.keys(KUBEADM_PINS).map(Number);

export interface ControlPlaneImageOptions {
  /** ClusterConfiguration.imageRepository (registryConfiguration.overwriteRegistry); default registry.k8s.io. */
  imageRepository?: string;
  /** ClusterConfiguration.dns.imageRepository (features.coreDNS.imageRepository or the overwrite). */
  dnsRepository?: string;
  /** The sandbox image containerd is configured with; default kubeadm's pause at imageRepository. */
  sandboxImage?: string;
  /** kube-proxy is not installed (clusterNetwork.kubeProxy.skipInstallation). */
  skipKubeProxy?: boolean;
}

/** The control-plane images of Kubernetes `version` ("1.35.1" or "v1.35.1"); throws for a minor kubeadm's pins are not known for. */
export function controlPlaneImages(version: string, opts: ControlPlaneImageOptions = {}): string[] {
  const plain = version.replace(/^v/, '');
  const sv = parseVersion(plain);
  const pins = sv && sv.major === 1 ? KUBEADM_PINS[sv.minor] : undefined;
  if (!pins) throw new Error(`no kubeadm image tags known for Kubernetes ${version} (known: ${KUBEADM_IMAGE_MINORS.map((m) => `1.${m}`).join(', ')})`);
  const repo = opts.imageRepository || KUBERNETES_REGISTRY;
  // kubeadm keeps CoreDNS's nested path only in the default registry (GetDNSImage).
  const dns = opts.dnsRepository ? `${opts.dnsRepository}/coredns` : repo === KUBERNETES_REGISTRY ? `${KUBERNETES_REGISTRY}/coredns/coredns` : `${repo}/coredns`;
  const components = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', ...(opts.skipKubeProxy ? [] : ['kube-proxy'])];
  return [
    ...components.map((c) => `${repo}/${c}:v${plain}`),
    `${repo}/etcd:${pins.etcd}`,
    `${dns}:${pins.coredns}`,
    opts.sandboxImage || `${repo}/pause:${pauseImageTag(plain)}`,
  ];
}

/** How a cluster of this manifest names its control-plane images (its registry settings). */
export function controlPlaneImageOptions(cluster: KubeOneCluster): ControlPlaneImageOptions {
  const overwrite = cluster.registryConfiguration?.overwriteRegistry ?? '';
  return {
    imageRepository: overwrite,
    dnsRepository: cluster.features?.coreDNS?.imageRepository || overwrite,
    sandboxImage: sandboxImage(cluster),
    skipKubeProxy: cluster.clusterNetwork?.kubeProxy?.skipInstallation === true,
  };
}

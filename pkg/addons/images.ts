// Images the embedded addons use (`.InternalImages.Get "<Name>"`), and the registry rewrite
// of registryConfiguration.overwriteRegistry (the registry host is replaced, the path kept).

export const ADDON_IMAGES: Readonly<Record<string, string>> = {
  CalicoCNI: 'quay.io/calico/cni:v3.30.3',
  CalicoNode: 'quay.io/calico/node:v3.30.3',
  CalicoController: 'quay.io/calico/kube-controllers:v3.30.3',
  Flannel: 'docker.io/flannel/flannel:v0.27.3',
  Cilium: 'quay.io/cilium/cilium:v1.18.2',
  CiliumOperator: 'quay.io/cilium/operator-generic:v1.18.2',
  HubbleRelay: 'quay.io/cilium/hubble-relay:v1.18.2',
  WeaveNetCNIKube: 'docker.io/weaveworks/weave-kube:2.8.1',
  WeaveNetCNINPC: 'docker.io/weaveworks/weave-npc:2.8.1',
  MetricsServer: 'registry.k8s.io/metrics-server/metrics-server:v0.8.0',
  DNSNodeCache: 'registry.k8s.io/dns/k8s-dns-node-cache:1.26.4',
};

/** Replaces the registry host of `image` with `overwriteRegistry` (no-op when empty). */
export function rewriteRegistry(image: string, overwriteRegistry: string): string {
  if (!overwriteRegistry) return image;
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  // Like Docker: the first component is a registry host when it has a dot or a port, or is localhost.
  const hasRegistry = /[.:]/.test(first) || first === 'localhost';
  const path = hasRegistry ? image.slice(slash + 1) : slash < 0 ? `library/${image}` : image;
  return `${overwriteRegistry.replace(/\/+$/, '')}/${path}`;
}

export class ImageResolver {
  constructor(private readonly overwriteRegistry: string) {}

  /** `.InternalImages.Get "CalicoNode"` in templates. */
  Get(name: string): string {
    const image = ADDON_IMAGES[name];
    if (!image) throw new Error(`unknown image ${JSON.stringify(name)} (known: ${Object.keys(ADDON_IMAGES).join(', ')})`);
    return rewriteRegistry(image, this.overwriteRegistry);
  }
}

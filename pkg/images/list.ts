// The images a cluster uses: KubeOne's image table (pkg/addons/images.ts, read through its
// accessor) and kubeadm's control-plane images (pkg/kubeadm/images.ts), for one Kubernetes
// version, with the registry overrides of the manifest. `config images list` prints this
// list; `mirror-images` copies it.
import { imageEntries, resolveImage, withRegistry } from '../addons/images.js';
import { controlPlaneImages, type ControlPlaneImageOptions } from '../kubeadm/images.js';

export const IMAGE_FILTERS = ['none', 'base', 'optional', 'control-plane'] as const;
export type ImageFilter = (typeof IMAGE_FILTERS)[number];

/** KubeOne resolves version-dependent entries against 9.9.9 when no version is known. */
const ANY_VERSION = '9.9.9';

export interface ImageListOptions {
  filter: ImageFilter;
  /** Kubernetes version; without one, only version-independent choices and no control-plane images. */
  kubernetesVersion?: string;
  /** registryConfiguration.overwriteRegistry for the table's images. */
  overwriteRegistry?: string;
  /** How the control-plane images are named (registry, CoreDNS repository, sandbox image). */
  controlPlane?: ControlPlaneImageOptions;
  /** Every version of every table entry instead of the one for kubernetesVersion. */
  all?: boolean;
}

/**
 * The images, sorted and without duplicates. Filters: `base` is the control plane and
 * KubeOne's base resources (CNI, DNS cache, metrics-server, machine-controller, OSM),
 * `optional` every other table entry, `control-plane` kubeadm's images only, `none` all.
 */
export function listImages(o: ImageListOptions): string[] {
  const out = new Set<string>();
  if (o.kubernetesVersion && o.filter !== 'optional') {
    for (const image of controlPlaneImages(o.kubernetesVersion, o.controlPlane)) out.add(image);
  }
  if (o.filter !== 'control-plane') {
    const overwrite = o.overwriteRegistry ?? '';
    for (const entry of imageEntries()) {
      if (o.filter !== 'none' && entry.class !== o.filter) continue;
      if (o.all) {
        for (const image of Object.values(entry.byVersion)) out.add(withRegistry(image, overwrite));
        continue;
      }
      const image = resolveImage(entry.name, o.kubernetesVersion ?? ANY_VERSION, overwrite);
      if (image) out.add(image);
    }
  }
  return [...out].sort();
}

// Copies an image between registries: every manifest of an index (all platforms), every
// blob the destination does not have yet, then the manifest under the destination's tag.
// The bytes of each manifest are kept, so digests are the same on both sides.
import type { ImageRef } from './reference.js';
import { type Manifest, MEDIA_TYPES, RegistryClient, RegistryError } from './client.js';

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
}

interface ManifestBody {
  manifests?: Descriptor[];
  config?: Descriptor;
  layers?: Descriptor[];
}

const isIndex = (m: Manifest): boolean => m.mediaType === MEDIA_TYPES.ociIndex || m.mediaType === MEDIA_TYPES.dockerList;

export interface CopyEnds {
  source: RegistryClient;
  sourceRef: ImageRef;
  destination: RegistryClient;
  destinationRef: ImageRef;
}

/** Copies the image; returns the digest of its top manifest (the same on both sides). */
export async function copyImage(e: CopyEnds): Promise<string> {
  const top = await e.source.getManifest(e.sourceRef.repository, e.sourceRef.reference);
  if ((await e.destination.manifestDigest(e.destinationRef.repository, e.destinationRef.reference, 'pull,push')) === top.digest) return top.digest;
  await copyContent(e, top);
  await e.destination.putManifest(e.destinationRef.repository, e.destinationRef.reference, top);
  return top.digest;
}

async function copyContent(e: CopyEnds, manifest: Manifest): Promise<void> {
  const body = JSON.parse(manifest.bytes.toString('utf8')) as ManifestBody;
  if (isIndex(manifest)) {
    for (const child of body.manifests ?? []) {
      const m = await e.source.getManifest(e.sourceRef.repository, child.digest);
      await copyContent(e, m);
      await e.destination.putManifest(e.destinationRef.repository, child.digest, m);
    }
    return;
  }
  if (!body.config) throw new RegistryError(`${e.source.registry}: manifest ${manifest.digest} has no config`);
  for (const blob of [body.config, ...(body.layers ?? [])]) {
    if (await e.destination.hasBlob(e.destinationRef.repository, blob.digest)) continue;
    const content = await e.source.getBlob(e.sourceRef.repository, blob.digest);
    await e.destination.putBlob(e.destinationRef.repository, blob.digest, blob.size, content);
  }
}

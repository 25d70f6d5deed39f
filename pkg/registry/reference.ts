// Image references split as registries address them: the registry host, the repository path
// and a tag or digest. Docker's normalization (docker.io, library/) is the image table's.
import { normalizeReference } from '../addons/images.js';

export interface ImageRef {
  /** host[:port] */
  registry: string;
  repository: string;
  /** A tag, or a digest (sha256:...). */
  reference: string;
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function parseImageRef(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : '';
  const { domain, path, tag } = normalizeReference(image);
  const ref = { registry: domain, repository: path, reference: digest || tag };
  if (!REPOSITORY.test(ref.repository) || !(DIGEST.test(ref.reference) || TAG.test(ref.reference))) throw new Error(`invalid image reference ${JSON.stringify(image)}`);
  return ref;
}

export function formatImageRef(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}${ref.reference.startsWith('sha256:') ? '@' : ':'}${ref.reference}`;
}

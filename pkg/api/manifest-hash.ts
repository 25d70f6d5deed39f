import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { KubeOneCluster } from './types.js';

/** sha256 (hex) of the canonical JSON of the cluster: equal manifests, equal hash. */
export function manifestHash(c: KubeOneCluster): string {
  return createHash('sha256').update(canonicalJson(c)).digest('hex');
}

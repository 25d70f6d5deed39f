import { canonicalJson } from './canonical-json.js';
import { sha256Hex } from './sha256.js';
import type { KubeOneCluster } from './types.js';

/** sha256 (hex) of the canonical JSON of the cluster: equal manifests, equal hash. */
export function manifestHash(c: KubeOneCluster): string {
  return sha256Hex(canonicalJson(c));
}

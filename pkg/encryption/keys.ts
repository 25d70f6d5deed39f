// Names of the keys this tool generates: `kubeone-` and six hex digits, as KubeOne's look
// (`kubeone-` and six random characters). They are derived, not random: the first from the
// cluster's name, each next one from the key it replaces. So a plan is the same every time it
// is computed (saved plans are verified against a fresh one), and a rotation that was
// interrupted is recognised from the files alone: in [P, S], S is the new key when S = next(P).
import { sha256Hex } from '../api/sha256.js';

const derive = (seed: string): string => `kubeone-${sha256Hex(seed).slice(0, 6)}`;

/** The key a cluster's encryption starts with. */
export function initialKeyName(cluster: string): string {
  return derive(`encryption key of cluster ${cluster}`);
}

/** The key that replaces `name` at the next rotation. */
export function nextKeyName(name: string): string {
  return derive(`key after ${name}`);
}

// What the manifest asks of encryption at rest, without key material: nothing (the section or
// its `enable` is absent: whatever the cluster has is left as it is), off (`enable: false`:
// decrypt and remove what this tool manages), KubeOne's generated configuration (keys chosen
// by the tool), or the user's customEncryptionConfiguration (its exact bytes are written; the
// planner sees its hash and summary). KubeOne disables on an absent section too; here only an
// explicit false does, as for every other feature (docs/kubeone-compatibility.md).
import type { KubeOneCluster } from '../api/types.js';
import { CUSTOM_CONFIG_PATH, type EncryptionSummary, GENERATED_CONFIG_PATH, parseEncryptionConfiguration, renderEncryptionConfiguration, summarize } from './config.js';
import { sha256Hex } from '../api/sha256.js';

export type DesiredEncryption =
  | { mode: 'unmanaged' }
  | { mode: 'off' }
  | { mode: 'generated'; path: typeof GENERATED_CONFIG_PATH }
  | { mode: 'custom'; path: typeof CUSTOM_CONFIG_PATH; sha256: string; summary: EncryptionSummary };

export function desiredEncryption(cluster: KubeOneCluster): DesiredEncryption {
  const ep = cluster.features?.encryptionProviders;
  if (ep?.enable === undefined) return { mode: 'unmanaged' };
  if (!ep.enable) return { mode: 'off' };
  const text = ep.customEncryptionConfiguration;
  if (!text) return { mode: 'generated', path: GENERATED_CONFIG_PATH };
  const { config, problems } = parseEncryptionConfiguration(text);
  // loadCluster refuses an invalid one; a caller that skipped it gets no silent fallback.
  if (!config) throw new Error(`features.encryptionProviders.customEncryptionConfiguration: ${problems.join('; ')}`);
  // Written as renderEncryptionConfiguration renders it (block style, which the probe can read).
  return { mode: 'custom', path: CUSTOM_CONFIG_PATH, sha256: sha256Hex(renderEncryptionConfiguration(config)), summary: summarize(config) };
}

/** The file the apiservers' --encryption-provider-config names for `d` ('' when none). */
export function desiredEncryptionPath(d: DesiredEncryption | undefined): string {
  return d && (d.mode === 'generated' || d.mode === 'custom') ? d.path : '';
}

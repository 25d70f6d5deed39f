// kube-system/kubeone-encryption: under which configuration (its sha256, the same on every
// control plane) every object of the rewritten resources was last written, and with which
// provider. The planner needs it to know whether a key that is no longer primary may still
// hold data (then it must not be dropped) or not.
import type { EncryptionRewriteRecord } from '../snapshot/types.js';
import { KEY_NAME, REWRITABLE_RESOURCES } from './config.js';

export const ENCRYPTION_RECORD_NAME = 'kubeone-encryption';

const PROVIDER = new RegExp(`^(identity|(aescbc|aesgcm|secretbox|kms):${KEY_NAME.source.slice(1, -1)})$`);

/** The ConfigMap's data: `config` and one entry per resource. */
export function rewriteRecordData(record: EncryptionRewriteRecord): Record<string, string> {
  return { config: record.config, ...sortedPrimaries(record.primaries) };
}

export function sortedPrimaries(primaries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(primaries).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The record from the ConfigMap's data; entries of any other shape are ignored, a record without a configuration is none. */
export function parseRewriteRecord(data: Record<string, string> | undefined): EncryptionRewriteRecord | null {
  const config = data?.config ?? '';
  if (!/^[0-9a-f]{64}$/.test(config)) return null;
  const primaries: Record<string, string> = {};
  for (const [resource, provider] of Object.entries(data ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if ((REWRITABLE_RESOURCES as readonly string[]).includes(resource) && PROVIDER.test(provider)) primaries[resource] = provider;
  }
  return Object.keys(primaries).length > 0 ? { config, primaries } : null;
}

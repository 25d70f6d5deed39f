// kube-system/kubeone-encryption: which encryption configuration every object of the rewritten
// resources was last written under. The planner needs it to know whether a key that is no
// longer primary may still hold data (then it must not be dropped) or not.
import type { EncryptionRewriteRecord } from '../snapshot/types.js';
import { REWRITABLE_RESOURCES } from './config.js';

export const ENCRYPTION_RECORD_NAME = 'kubeone-encryption';

export function rewriteRecordData(record: EncryptionRewriteRecord): Record<string, string> {
  return { config: record.config, resources: record.resources.join(',') };
}

export function parseRewriteRecord(data: Record<string, string> | undefined): EncryptionRewriteRecord | null {
  const config = data?.config;
  if (config === undefined || !/^([0-9a-f]{64})?$/.test(config)) return null;
  const resources = (data?.resources ?? '').split(',').filter((r) => (REWRITABLE_RESOURCES as readonly string[]).includes(r));
  return { config, resources };
}

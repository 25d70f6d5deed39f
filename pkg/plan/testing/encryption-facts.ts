// Encryption at rest in test snapshots and desired states: configurations as the probe reports
// them (summaries, model fingerprints), the apiserver flag, the rewrite record.
import { canonicalJson } from '../../api/canonical-json.js';
import { CUSTOM_CONFIG_PATH, type EncryptionSummary, GENERATED_CONFIG_PATH, type ProviderSummary } from '../../encryption/config.js';
import type { DesiredEncryption } from '../../encryption/desired.js';
import type { EncryptionFileFacts, HostFacts } from '../../snapshot/types.js';
import { sha256 } from './files.js';

export const GEN = GENERATED_CONFIG_PATH;
export const CUSTOM = CUSTOM_CONFIG_PATH;
/** When test files were written, and when test components started (after). */
export const WRITTEN = '2026-01-01T00:00:00.000Z';
export const STARTED = '2026-06-01T00:00:00.000Z';

/** As the model gives keys it generates (pkg/ops/encryption-model.ts). */
export const key = (name: string) => ({ name, fingerprint: sha256(`model key ${name}`).slice(0, 16) });

export function fileOf(summary: EncryptionSummary | null, sha?: string): EncryptionFileFacts {
  return { sha256: sha ?? sha256(canonicalJson(summary)), summary };
}

export function generatedSummary(keys: string[], identityFirst = false): EncryptionSummary {
  const aescbc: ProviderSummary = { type: 'aescbc', keys: keys.map(key) };
  return { resources: [{ resources: ['secrets'], providers: identityFirst ? [{ type: 'identity' }, aescbc] : [aescbc, { type: 'identity' }] }] };
}

export const generatedFile = (keys: string[], identityFirst = false): EncryptionFileFacts => fileOf(generatedSummary(keys, identityFirst));

/** A customEncryptionConfiguration: aesgcm with the given key, then identity (unless `clear` is false). */
export function customSummary(name = 'custom-key', identity = true): EncryptionSummary {
  return { resources: [{ resources: ['secrets'], providers: [{ type: 'aesgcm', keys: [key(name)] }, ...(identity ? [{ type: 'identity' } as ProviderSummary] : [])] }] };
}

export function desiredCustom(summary: EncryptionSummary = customSummary()): DesiredEncryption {
  return { mode: 'custom', path: CUSTOM, sha256: sha256(canonicalJson(summary)), summary };
}

/** The host's apiserver flag and configuration files, written at WRITTEN (loaded by an apiserver started at STARTED). */
export function encryptionOn(h: HostFacts, flag: string, files: Record<string, EncryptionFileFacts>, modified = WRITTEN): void {
  h.encryption = { flag, files: structuredClone(files) };
  h.inputsModified = { ...(h.inputsModified ?? {}) };
  for (const path of Object.keys(files)) h.inputsModified[path] = modified;
}

/** A ClusterConfiguration (as the test builders make them) with --encryption-provider-config added. */
export function withEncryptionFlag(config: Record<string, unknown>, path: string): Record<string, unknown> {
  if (!path) return config;
  const c = structuredClone(config) as { apiServer: { extraArgs: { name: string; value: string }[] } };
  c.apiServer.extraArgs = [...c.apiServer.extraArgs, { name: 'encryption-provider-config', value: path }];
  return c;
}

// The encryption ops' effects in the planner's model (ModelWorld): what the next probe would
// see of a control plane's configuration files. Keys get model fingerprints; a key another
// control plane already has keeps its fingerprint, as the real op copies its secret.
import { canonicalJson } from '../api/canonical-json.js';
import { type EncryptionSummary, GENERATED_CONFIG_PATH, type KeySummary, type ProviderSummary } from '../encryption/config.js';
import type { HostFacts } from '../snapshot/types.js';
import type { EncryptionWriteParams } from './encryption-config-write.js';
import type { ModelWorld } from './model-world.js';
import { sha256Hex } from '../api/sha256.js';

function keyOf(world: ModelWorld, name: string): KeySummary {
  for (const h of world.hosts) {
    for (const r of h.encryption?.files[GENERATED_CONFIG_PATH]?.summary?.resources ?? []) {
      for (const p of r.providers) if (p.type === 'aescbc') for (const k of p.keys) if (k.name === name) return { ...k };
    }
  }
  return { name, fingerprint: sha256Hex(`model key ${name}`).slice(0, 16) };
}

function summaryFor(world: ModelWorld, h: HostFacts, p: EncryptionWriteParams): { sha256: string; summary: EncryptionSummary | null } | undefined {
  if (p.source === 'custom') {
    const d = world.desired.encryption;
    if (d?.mode !== 'custom') throw new Error('model: custom encryption configuration written while the manifest has none');
    return { sha256: d.sha256, summary: structuredClone(d.summary) };
  }
  if (p.source === 'copy') {
    const file = world.host(p.from).encryption?.files[p.path];
    if (!file) throw new Error(`model: copy of ${p.path} from ${p.from}, which has none`);
    return structuredClone(file);
  }
  let summary: EncryptionSummary;
  if (p.source === 'identity-first') {
    const current = h.encryption?.files[p.path]?.summary;
    if (!current) throw new Error(`model: identity first of ${p.path} on ${h.name}, which has none readable`);
    summary = { resources: current.resources.map((r) => ({ resources: [...r.resources], providers: [{ type: 'identity' } as ProviderSummary, ...r.providers.filter((x) => x.type !== 'identity')] })) };
  } else {
    const aescbc: ProviderSummary = { type: 'aescbc', keys: (p.keys ?? []).map((name) => keyOf(world, name)) };
    summary = { resources: [{ resources: ['secrets'], providers: p.identityFirst ? [{ type: 'identity' }, aescbc] : [aescbc, { type: 'identity' }] }] };
  }
  return { sha256: sha256Hex(canonicalJson(summary)), summary };
}

export function encryptionWriteModel(world: ModelWorld, h: HostFacts, p: EncryptionWriteParams): void {
  const next = summaryFor(world, h, p)!;
  h.encryption ??= { flag: '', files: {} };
  if (h.encryption.files[p.path]?.sha256 === next.sha256) return;
  h.encryption.files[p.path] = next;
  world.touched(h, p.path);
}

export function encryptionRemoveModel(h: HostFacts, path: string): void {
  if (!h.encryption) return;
  delete h.encryption.files[path];
  if (h.inputsModified) delete h.inputsModified[path];
  if (!h.encryption.flag && Object.keys(h.encryption.files).length === 0) delete h.encryption;
}

// EncryptionConfiguration (apiserver.config.k8s.io/v1): the file the kube-apiserver reads
// through --encryption-provider-config. Parsed strictly (what the apiserver would refuse at
// start is refused here, with the field path), summarized without key material (provider
// types, key names and fingerprints: what snapshots, plans and the planner may see), and
// rendered in the shape KubeOne generates (one aescbc provider, then identity, for secrets).
// Pure: no I/O; the random key comes from the caller.
import { randomBytes } from 'node:crypto';
import { parse, stringify } from 'yaml';
import { sha256Hex } from '../api/sha256.js';

export const ENCRYPTION_API_VERSION = 'apiserver.config.k8s.io/v1';
export const ENCRYPTION_DIR = '/etc/kubernetes/encryption-providers';
/** KubeOne's paths: the generated configuration and the user's customEncryptionConfiguration. */
export const GENERATED_CONFIG_PATH = `${ENCRYPTION_DIR}/encryption-providers.yaml`;
export const CUSTOM_CONFIG_PATH = `${ENCRYPTION_DIR}/custom-encryption-providers.yaml`;
export const ENCRYPTION_CONFIG_PATHS = [GENERATED_CONFIG_PATH, CUSTOM_CONFIG_PATH] as const;

export const KEY_PROVIDERS = ['aescbc', 'aesgcm', 'secretbox'] as const;
export type KeyProvider = (typeof KEY_PROVIDERS)[number];
export type ProviderType = KeyProvider | 'identity' | 'kms';
const PROVIDER_TYPES: readonly ProviderType[] = [...KEY_PROVIDERS, 'identity', 'kms'];

/** Resources this tool rewrites after a change (every other resource would keep stale ciphertext). */
export const REWRITABLE_RESOURCES = ['secrets', 'configmaps'] as const;

/** Key sizes the apiserver accepts, in bytes. */
const KEY_SIZES: Record<KeyProvider, readonly number[]> = { aescbc: [16, 24, 32], aesgcm: [16, 24, 32], secretbox: [32] };

/** Key and KMS names: they appear in the storage prefix (`k8s:enc:aescbc:v1:<name>:`), probes and plans. */
export const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const RESOURCE_NAME = /^(\*\.|(\*|[a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.(\*|[a-z0-9]([a-z0-9.-]*[a-z0-9])?))?)$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface EncryptionKey {
  name: string;
  secret: string;
}

export type Provider =
  | { type: KeyProvider; keys: EncryptionKey[] }
  | { type: 'identity' }
  | { type: 'kms'; name: string; endpoint: string; apiVersion?: string; cachesize?: number; timeout?: string };

export interface ResourceConfig {
  resources: string[];
  providers: Provider[];
}

/** A parsed EncryptionConfiguration (key material included: memory only). */
export interface EncryptionConfig {
  resources: ResourceConfig[];
}

export interface KeySummary {
  name: string;
  /** First 16 hex digits of the key's sha256: tells keys apart, reveals nothing. */
  fingerprint: string;
}

export type ProviderSummary =
  | { type: KeyProvider; keys: KeySummary[] }
  | { type: 'identity' }
  | { type: 'kms'; name: string; endpoint: string };

export interface EncryptionSummary {
  resources: { resources: string[]; providers: ProviderSummary[] }[];
}

export function fingerprint(secret: string): string {
  return sha256Hex(secret).slice(0, 16);
}

/** 32 random bytes, base64: an aescbc key as KubeOne generates it. */
export function newAescbcSecret(): string {
  return randomBytes(32).toString('base64');
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function unknownFields(o: Obj, allowed: readonly string[], path: string, problems: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${path}: unknown field ${JSON.stringify(k)}`);
}

/**
 * Parses and validates an EncryptionConfiguration as the apiserver would at start-up.
 * `secretsAreFingerprints`: the text comes from the probe, whose `secret:` values were
 * replaced by fingerprints on the host (their length is not checked then).
 */
export function parseEncryptionConfiguration(text: string, opts: { secretsAreFingerprints?: boolean } = {}): { config?: EncryptionConfig; problems: string[] } {
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 0, uniqueKeys: true });
  } catch (e) {
    return { problems: [`not valid YAML: ${(e as Error).message.split('\n')[0]}`] };
  }
  if (!isObj(doc)) return { problems: ['must be an EncryptionConfiguration object'] };
  unknownFields(doc, ['apiVersion', 'kind', 'resources'], '', problems);
  if (doc.apiVersion !== ENCRYPTION_API_VERSION) problems.push(`apiVersion: must be ${ENCRYPTION_API_VERSION}`);
  if (doc.kind !== 'EncryptionConfiguration') problems.push('kind: must be EncryptionConfiguration');
  if (!Array.isArray(doc.resources) || doc.resources.length === 0) {
    problems.push('resources: at least one entry is required');
    return { problems };
  }
  const config: EncryptionConfig = { resources: [] };
  const seenResources = new Set<string>();
  doc.resources.forEach((entry, i) => {
    const at = `resources[${i}]`;
    if (!isObj(entry)) return void problems.push(`${at}: must be an object`);
    unknownFields(entry, ['resources', 'providers'], at, problems);
    const names = Array.isArray(entry.resources) ? entry.resources : [];
    if (names.length === 0) problems.push(`${at}.resources: at least one resource is required`);
    names.forEach((n, j) => {
      if (typeof n !== 'string' || !RESOURCE_NAME.test(n)) problems.push(`${at}.resources[${j}]: ${JSON.stringify(n)} is not a resource name (resource or resource.group)`);
      else if (seenResources.has(n)) problems.push(`${at}.resources[${j}]: ${n} is listed twice`);
      else seenResources.add(n);
    });
    const providers = Array.isArray(entry.providers) ? entry.providers : [];
    if (providers.length === 0) problems.push(`${at}.providers: at least one provider is required`);
    const parsed: Provider[] = [];
    providers.forEach((p, j) => {
      const pat = `${at}.providers[${j}]`;
      if (!isObj(p)) return void problems.push(`${pat}: must be an object`);
      const types = Object.keys(p);
      if (types.length !== 1 || !PROVIDER_TYPES.includes(types[0] as ProviderType)) {
        return void problems.push(`${pat}: exactly one of ${PROVIDER_TYPES.join(', ')} is required`);
      }
      const type = types[0] as ProviderType;
      const body = p[type];
      if (type === 'identity') {
        if (body !== null && body !== undefined && !(isObj(body) && Object.keys(body).length === 0)) problems.push(`${pat}.identity: takes no settings`);
        return void parsed.push({ type });
      }
      if (!isObj(body)) return void problems.push(`${pat}.${type}: must be an object`);
      if (type === 'kms') {
        unknownFields(body, ['apiVersion', 'name', 'endpoint', 'cachesize', 'timeout'], `${pat}.kms`, problems);
        const name = typeof body.name === 'string' ? body.name : '';
        const endpoint = typeof body.endpoint === 'string' ? body.endpoint : '';
        if (!KEY_NAME.test(name)) problems.push(`${pat}.kms.name: required, letters, digits, ".", "_" and "-"`);
        if (!/^unix:\/\/\/?[A-Za-z0-9._/@-]+$/.test(endpoint)) problems.push(`${pat}.kms.endpoint: must be a unix:// socket path`);
        const kms: Provider = { type: 'kms', name, endpoint };
        if (body.apiVersion !== undefined) {
          if (body.apiVersion !== 'v1' && body.apiVersion !== 'v2') problems.push(`${pat}.kms.apiVersion: must be v1 or v2`);
          else kms.apiVersion = body.apiVersion;
        }
        if (body.cachesize !== undefined) {
          if (!Number.isInteger(body.cachesize)) problems.push(`${pat}.kms.cachesize: must be an integer`);
          else kms.cachesize = body.cachesize as number;
        }
        if (body.timeout !== undefined) {
          if (typeof body.timeout !== 'string' || !/^\d+(ms|s|m|h)$/.test(body.timeout)) problems.push(`${pat}.kms.timeout: must be a duration such as 3s`);
          else kms.timeout = body.timeout;
        }
        return void parsed.push(kms);
      }
      unknownFields(body, ['keys'], `${pat}.${type}`, problems);
      const keys = Array.isArray(body.keys) ? body.keys : [];
      if (keys.length === 0) problems.push(`${pat}.${type}.keys: at least one key is required`);
      const out: EncryptionKey[] = [];
      const names = new Set<string>();
      keys.forEach((k, n) => {
        const kat = `${pat}.${type}.keys[${n}]`;
        if (!isObj(k)) return void problems.push(`${kat}: must be an object`);
        unknownFields(k, ['name', 'secret'], kat, problems);
        const name = typeof k.name === 'string' ? k.name : '';
        const secret = typeof k.secret === 'string' ? k.secret : '';
        if (!KEY_NAME.test(name)) problems.push(`${kat}.name: required, letters, digits, ".", "_" and "-" (at most 128)`);
        else if (names.has(name)) problems.push(`${kat}.name: ${name} is used twice`);
        names.add(name);
        if (opts.secretsAreFingerprints) {
          if (!/^[0-9a-f]{16}$/.test(secret)) problems.push(`${kat}.secret: not a fingerprint`);
        } else if (!BASE64.test(secret)) {
          problems.push(`${kat}.secret: must be base64`);
        } else {
          const size = Buffer.from(secret, 'base64').length;
          if (!KEY_SIZES[type].includes(size)) problems.push(`${kat}.secret: a ${type} key must be ${KEY_SIZES[type].join(', ')} bytes, this one is ${size}`);
        }
        out.push({ name, secret });
      });
      parsed.push({ type, keys: out });
    });
    config.resources.push({ resources: names.filter((n): n is string => typeof n === 'string'), providers: parsed });
  });
  return problems.length > 0 ? { problems } : { config, problems };
}

/** The configuration without key material. `secretsAreFingerprints`: the secrets already are fingerprints. */
export function summarize(config: EncryptionConfig, secretsAreFingerprints = false): EncryptionSummary {
  return {
    resources: config.resources.map((r) => ({
      resources: [...r.resources],
      providers: r.providers.map((p): ProviderSummary => {
        if (p.type === 'identity') return { type: 'identity' };
        if (p.type === 'kms') return { type: 'kms', name: p.name, endpoint: p.endpoint };
        return { type: p.type, keys: p.keys.map((k) => ({ name: k.name, fingerprint: secretsAreFingerprints ? k.secret : fingerprint(k.secret) })) };
      }),
    })),
  };
}

/** A provider as the planner names it: `identity`, `aescbc:<key>`, `kms:<name>`. */
export function providerKeys(p: ProviderSummary): string[] {
  if (p.type === 'identity') return ['identity'];
  if (p.type === 'kms') return [`kms:${p.name}`];
  return p.keys.map((k) => `${p.type}:${k.name}@${k.fingerprint}`);
}

/** What writes use for a resource: the first key of the first provider. */
export function primaryOf(providers: readonly ProviderSummary[]): string {
  const first = providers[0];
  return first ? providerKeys(first)[0]! : 'identity';
}

/** The resource entry that covers `resource` (the apiserver uses the first entry that names it). */
export function entryFor(summary: EncryptionSummary, resource: string): ProviderSummary[] | undefined {
  const group = resource.includes('.') ? resource.slice(resource.indexOf('.') + 1) : '';
  for (const r of summary.resources) {
    for (const name of r.resources) {
      if (name === resource || name === '*.*' || (name === `*.${group}` && group !== '') || (name === '*.' && group === '')) return r.providers;
    }
  }
  return undefined;
}

/**
 * KubeOne's generated shape: one resource entry for secrets whose providers are one aescbc
 * provider and identity (identity last; identity first while decrypting). Returns its key
 * names, primary first, or null for any other configuration.
 */
export function generatedView(summary: EncryptionSummary): { keys: KeySummary[]; identityFirst: boolean } | null {
  if (summary.resources.length !== 1) return null;
  const [entry] = summary.resources;
  if (entry!.resources.length !== 1 || entry!.resources[0] !== 'secrets' || entry!.providers.length !== 2) return null;
  const [a, b] = entry!.providers;
  if (a!.type === 'aescbc' && b!.type === 'identity') return { keys: a!.keys, identityFirst: false };
  if (a!.type === 'identity' && b!.type === 'aescbc') return { keys: b!.keys, identityFirst: true };
  return null;
}

function providerObject(p: Provider): Obj {
  if (p.type === 'identity') return { identity: {} };
  if (p.type === 'kms') {
    const kms: Obj = { name: p.name, endpoint: p.endpoint };
    if (p.apiVersion) kms.apiVersion = p.apiVersion;
    if (p.cachesize !== undefined) kms.cachesize = p.cachesize;
    if (p.timeout) kms.timeout = p.timeout;
    return { kms };
  }
  return { [p.type]: { keys: p.keys.map((k) => ({ name: k.name, secret: k.secret })) } };
}

/** YAML of a configuration (field order as the apiserver's types serialize it). */
export function renderEncryptionConfiguration(config: EncryptionConfig): string {
  return stringify(
    {
      apiVersion: ENCRYPTION_API_VERSION,
      kind: 'EncryptionConfiguration',
      resources: config.resources.map((r) => ({ resources: [...r.resources], providers: r.providers.map(providerObject) })),
    },
    { lineWidth: 0 },
  );
}

/** KubeOne's generated configuration: aescbc with `keys` (primary first), then identity; identity first while decrypting. */
export function generatedConfig(keys: EncryptionKey[], identityFirst = false): EncryptionConfig {
  const aescbc: Provider = { type: 'aescbc', keys: keys.map((k) => ({ ...k })) };
  return { resources: [{ resources: ['secrets'], providers: identityFirst ? [{ type: 'identity' }, aescbc] : [aescbc, { type: 'identity' }] }] };
}

/** The same configuration with identity first for every resource (writes go out in clear, every key still reads). */
export function identityFirstOf(config: EncryptionConfig): EncryptionConfig {
  return {
    resources: config.resources.map((r) => ({
      resources: [...r.resources],
      providers: [{ type: 'identity' } as Provider, ...r.providers.filter((p) => p.type !== 'identity')],
    })),
  };
}

/** The resources a configuration names that this tool rewrites (secrets always). */
export function rewrittenResources(...summaries: (EncryptionSummary | undefined)[]): string[] {
  const named = new Set<string>(['secrets']);
  for (const s of summaries) for (const r of s?.resources ?? []) for (const n of r.resources) if ((REWRITABLE_RESOURCES as readonly string[]).includes(n)) named.add(n);
  return [...REWRITABLE_RESOURCES].filter((n) => named.has(n));
}

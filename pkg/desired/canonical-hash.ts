// Local fallback for pkg/api's manifestHash (being written by the api helper): sha256 of the
// canonical JSON (sorted keys) of the defaulted manifest. Credentials live apart in
// LoadedCluster.credentials, so they never enter the hash. Swap for pkg/api's when it lands.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function fallbackManifestHash(cluster: unknown): string {
  return sha256Hex(canonicalJson(cluster));
}

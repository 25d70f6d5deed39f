// Helm values: merged as helm merges several --values files, hashed the way the probe hashes
// a live release's stored config, and shown only through a redacted view.
import fastJsonPatch from 'fast-json-patch';
import { canonicalJson } from '../api/canonical-json.js';
import { blobSecrets, isSecretKey, redactBlob } from '../api/redact.js';
import { sha256Hex } from '../api/sha256.js';
import { REDACTED, redactText, type SecretSet } from '../log/redact.js';
import type { ValuesChange } from '../plan/types.js';

export type Values = Record<string, unknown>;

export function isValuesMap(value: unknown): value is Values {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * helm's rule for several values files: later maps are merged into earlier ones key by key,
 * recursively where both sides are maps; anything else (lists, scalars, null) replaces.
 */
export function mergeValues(base: Values, next: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(next)) {
    const prev = out[key];
    out[key] = isValuesMap(value) && isValuesMap(prev) ? mergeValues(prev, value) : value;
  }
  return out;
}

/** sha256 of the canonical JSON of the values; helm stores no config at all for empty values, so null and {} hash alike. */
export function valuesHash(values: Values | null | undefined): string {
  return sha256Hex(canonicalJson(values ?? {}));
}

/**
 * What plans and snapshots may show of values: strings and numbers under keys that name a
 * secret are [REDACTED]; every other string has its secret lines and shapes (URL passwords,
 * private keys, tokens) and every known secret of the manifest (`secrets`) masked.
 */
export function viewOfValues(values: Values, secrets?: SecretSet): Values {
  const walk = (value: unknown, key: string | undefined): unknown => {
    const secretKey = key !== undefined && isSecretKey(key);
    if (typeof value === 'string') return secretKey && value !== '' ? REDACTED : redactText(redactBlob(value), secrets);
    if (typeof value === 'number' || typeof value === 'bigint') return secretKey ? REDACTED : value;
    if (Array.isArray(value)) return value.map((v) => walk(v, undefined));
    if (isValuesMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(values, undefined) as Values;
}


/** RFC 6902 operations from the live view to the desired view (both already redacted). */
export function diffValues(live: Values, desired: Values): ValuesChange[] {
  return fastJsonPatch.compare(live, desired).map((op) => ({ ...op })) as ValuesChange[];
}

/** The secret values inside values (under secret keys, secret lines of text blobs), for redaction by value everywhere else. */
export function secretsOfValues(values: Values): string[] {
  const out: string[] = [];
  const walk = (value: unknown, key: string | undefined): void => {
    if (typeof value === 'string') {
      if (key !== undefined && isSecretKey(key) && value !== '') out.push(value);
      out.push(...blobSecrets(value));
    } else if (Array.isArray(value)) value.forEach((v) => walk(v, undefined));
    else if (isValuesMap(value)) for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(values, undefined);
  return out;
}

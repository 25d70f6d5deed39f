import type { KubeOneCluster } from './types.js';

export const REDACTED = '[REDACTED]';

// Object keys whose string values are secrets (registry/helm auth, addon params such as
// resticPassword). File paths (sshPrivateKeyFile) are not secrets and stay readable.
const SECRET_KEY = /^(password|auth|identityToken|token|secret|.*(Password|Secret|Token|Key))$/;
// `key = value` / `"key": "value"` pairs inside config blobs (INI, YAML, JSON; one line or
// many) whose key names a secret: cloudConfig, csiConfig, encryption configuration...
const SECRET_PAIR = /(["']?[\w.-]*(?:password|secret|token|key)[\w.-]*["']?[ \t]*[:=][ \t]*)("[^"\n]*"|'[^'\n]*'|[^\s,;}]+)/gi;
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g;

function redactBlob(text: string): string {
  return text.replace(PEM_PRIVATE_KEY, REDACTED).replace(SECRET_PAIR, `$1${REDACTED}`);
}

function walk(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') {
    if (key && SECRET_KEY.test(key) && !/(File|PublicKey)$/.test(key) && value !== '') return REDACTED;
    // Config blobs (INI, YAML, JSON; one line or many) may embed secrets under their own keys.
    return redactBlob(value);
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, undefined));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, k);
    return out;
  }
  return value;
}

/** A copy of the cluster safe to print: credential values and key material masked. */
export function redactCluster(c: KubeOneCluster): KubeOneCluster {
  return walk(c, undefined) as KubeOneCluster;
}

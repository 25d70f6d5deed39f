// Which parts of a manifest are secrets, by structure: keys that name a secret (any case,
// any separator: `password`, `pass`, `api_key`, `HCLOUD_TOKEN`, `aadClientSecret`...),
// passwords in URLs, secret lines inside config blobs (cloudConfig, csiConfig, Helm values,
// encryption configuration: INI values to the end of the line, YAML block scalars, JSON
// strings), registry and Helm credentials, cloud credentials in dynamicWorkers, env:-sourced
// addon params and every value of the credentials file. redactCluster masks them for
// `config dump`; collectSecrets lists their values for redaction by value everywhere else.
import { REDACTED, SecretSet } from '../log/redact.js';
import type { KubeOneCluster, LoadedCluster } from './types.js';

export { REDACTED };

/** Words that make a key a secret on their own. */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'pass', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'credential', 'credentials',
  'creds', 'apikey', 'auth', 'authorization', 'bearer', 'privatekey', 'cookie', 'sessionid', 'kubeconfig',
]);
/** Word pairs that make a key a secret (`api_key`, `accessKey`, `serviceAccount` of cloud specs). */
const SECRET_PAIRS = new Set(['api key', 'access key', 'private key', 'secret key', 'signing key', 'encryption key', 'account key', 'client secret', 'service account', 'shared key', 'master key']);
/** A last word that makes the key name or locate a secret rather than hold it. */
const NOT_A_VALUE = new Set(['file', 'files', 'path', 'paths', 'ref', 'name', 'names', 'type', 'kind', 'url', 'urls', 'mode', 'ttl', 'length', 'enabled', 'enable', 'required', 'issuer', 'issuers', 'audience', 'audiences']);
const KEY_MATERIAL_LINE = /^[A-Za-z0-9+/=_-]{16,}$/;
/** Values too common to mask wherever they appear (they are still masked where their key says so). */
const TRIVIAL = /^(true|false|yes|no|on|off|null|none|nil|\d+)$/i;

/** A key's words, lower case: `aadClientSecret` -> aad, client, secret; `OS_PASSWORD` -> os, password. */
function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether a map key names a secret value (case-insensitive, any separator). */
export function isSecretKey(key: string): boolean {
  const w = words(key);
  if (w.length === 0 || NOT_A_VALUE.has(w[w.length - 1]!)) return false;
  if (w.some((x) => SECRET_WORDS.has(x))) return !(w.includes('public') && w.includes('key'));
  for (let i = 0; i + 1 < w.length; i++) if (SECRET_PAIRS.has(`${w[i]} ${w[i + 1]}`)) return true;
  return false;
}

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g;
const URL_USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/([^\s/:@"'`]+):([^\s/@"'`]+)@/gi;
/** `"key": "value"` with JSON escapes. */
const JSON_PAIR = /"((?:[^"\\\n]|\\.)*)"(\s*:\s*)"((?:[^"\\\n]|\\.)*)"/g;
/** `key = value` / `key: value` / `"key": value` on one line, the value to the end of the line. */
const LINE_PAIR = /^([ \t-]*)(["']?)([\w.@/-]+)\2([ \t]*[:=][ \t]*)(.*)$/;
const BLOCK_SCALAR = /^[|>][-+0-9]*[ \t]*(#.*)?$/;

interface Span {
  start: number;
  end: number;
  value: string;
}

/** Where the secret values of a config blob are (INI, YAML, JSON; one line or many). */
function blobSecretSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(PEM_PRIVATE_KEY)) spans.push({ start: m.index, end: m.index + m[0].length, value: m[0] });
  for (const m of text.matchAll(JSON_PAIR)) {
    if (!isSecretKey(m[1]!)) continue;
    const start = m.index + 1 + m[1]!.length + 1 + m[2]!.length + 1;
    let value = m[3]!;
    try {
      value = JSON.parse(`"${m[3]}"`) as string;
    } catch {
      /* keep the raw text */
    }
    spans.push({ start, end: start + m[3]!.length, value });
  }
  for (const m of text.matchAll(URL_USERINFO)) {
    const start = m.index + m[0].length - 1 - m[2]!.length;
    spans.push({ start, end: start + m[2]!.length, value: m[2]! });
  }
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = LINE_PAIR.exec(line);
    if (m && isSecretKey(m[3]!)) {
      const valueStart = offset + m[1]!.length + 2 * m[2]!.length + m[3]!.length + m[4]!.length;
      const raw = m[5]!.replace(/\s+$/, '');
      if (BLOCK_SCALAR.test(raw)) {
        // A YAML block scalar: the lines indented deeper than the key are the value.
        const indent = m[1]!.length;
        let end = offset + line.length;
        const body: string[] = [];
        let j = i + 1;
        let at = end + 1;
        for (; j < lines.length; j++) {
          const next = lines[j]!;
          if (next.trim() !== '' && next.length - next.trimStart().length <= indent) break;
          body.push(next.trim());
          end = at + next.length;
          at = end + 1;
        }
        spans.push({ start: valueStart, end, value: body.join('\n').trim() });
        for (const b of body) if (b) spans.push({ start: -1, end: -1, value: b });
        offset = at;
        i = j - 1;
        continue;
      }
      if (raw !== '' && !/^["']?\[REDACTED\]["']?$/.test(raw)) {
        const unquoted = /^(["'])(.*)\1$/.exec(raw)?.[2] ?? raw;
        spans.push({ start: valueStart, end: valueStart + raw.length, value: unquoted });
      }
    }
    offset += line.length + 1;
  }
  return spans;
}

/** The blob with its secret values replaced (overlapping spans merged). */
export function redactBlob(text: string): string {
  const spans = blobSecretSpans(text)
    .filter((s) => s.start >= 0)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.end <= at) continue;
    out += text.slice(at, Math.max(at, s.start)) + (s.start >= at ? REDACTED : '');
    at = s.end;
  }
  return out + text.slice(at);
}

/** Secret values inside a config blob. */
export function blobSecrets(text: string): string[] {
  return blobSecretSpans(text).map((s) => s.value).filter(Boolean);
}

function walk(value: unknown, key: string | undefined, visit: (v: string, secret: boolean) => string): unknown {
  if (typeof value === 'string') return visit(value, key !== undefined && isSecretKey(key) && value !== '');
  if (Array.isArray(value)) return value.map((v) => walk(v, undefined, visit));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, k, visit);
    return out;
  }
  return value;
}

/**
 * A copy of the cluster safe to print: values under secret keys, secret lines of config
 * blobs, passwords in URLs and private keys masked; `secrets` (collectSecrets) masks any
 * other place a known value appears.
 */
export function redactCluster(c: KubeOneCluster, secrets?: SecretSet): KubeOneCluster {
  return walk(c, undefined, (v, secret) => (secret ? REDACTED : (secrets?.mask(redactBlob(v)) ?? redactBlob(v)))) as KubeOneCluster;
}

/** A copy of any JSON value with values under secret keys and secret lines of blobs masked (objects kept in snapshots and plans). */
export function redactObject<T>(value: T): T {
  return walk(value, undefined, (v, secret) => (secret ? REDACTED : redactBlob(v))) as T;
}

/**
 * Every secret value the loaded manifest holds or pulls in: secret keys anywhere (Helm values
 * and cloud specs included), secret lines of blobs, URL passwords, every value of the
 * credentials file, and the values `env:` addon params resolve to in `env`.
 */
export function collectSecrets(loaded: Pick<LoadedCluster, 'cluster' | 'credentials'>, env: Record<string, string | undefined> = process.env): SecretSet {
  const all = new SecretSet();
  const set = { add: (v: string | undefined) => v !== undefined && !TRIVIAL.test(v.trim()) && all.add(v) };
  const addWithDecoded = (v: string) => {
    set.add(v);
    try {
      set.add(decodeURIComponent(v));
    } catch {
      /* not percent-encoded */
    }
  };
  // Lines of a multi-line secret that look like key material (PEM bodies, tokens): a partial leak is masked too.
  const addKeyLines = (v: string) => {
    for (const line of v.split('\n')) if (KEY_MATERIAL_LINE.test(line.trim())) set.add(line.trim());
  };
  walk(loaded.cluster, undefined, (v, secret) => {
    if (secret) {
      addWithDecoded(v);
      addKeyLines(v);
    }
    for (const s of blobSecrets(v)) addWithDecoded(s);
    return v;
  });
  for (const value of Object.values(loaded.credentials)) {
    set.add(value);
    // Blobs in the credentials file (cloudConfig, registriesAuth, GOOGLE_CREDENTIALS...): their secret values too.
    for (const s of blobSecrets(value)) addWithDecoded(s);
    addKeyLines(value);
  }
  const params = [loaded.cluster.addons?.globalParams ?? {}, ...(loaded.cluster.addons?.addons ?? []).map((a) => a.params ?? {})];
  for (const p of params) {
    for (const v of Object.values(p)) if (typeof v === 'string' && v.startsWith('env:')) set.add(env[v.slice(4)]);
  }
  return all;
}

// Redaction of output text: by shape (PEM private keys, bearer tokens, kubeadm bootstrap
// tokens, passwords in URLs) and by value. Values come from a SecretSet: every secret the
// loaded manifest, credentials file and environment hold (pkg/api/redact.ts collects them),
// matched with the encodings it may travel in: as is, JSON/YAML-escaped, percent-encoded,
// and base64 (standard and URL-safe) at any of the three alignments inside a longer text.
// The CLI registers the set of the manifest it loaded (registerSecrets) so that everything
// it writes (stdout, stderr, logs, files) goes through the same mask.
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi;
const BOOTSTRAP_TOKEN = /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g;
/** `scheme://user:password@`: the password part. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@"'`]+):([^\s/@"'`]+)@/gi;

export const REDACTED = '[REDACTED]';

/** Shorter values would mask ordinary words everywhere; the structural rules still catch them. */
export const MIN_SECRET_LENGTH = 4;

/**
 * The characters of base64(prefix + secret + suffix) that depend on the secret alone, for
 * a secret starting `offset` bytes (0, 1 or 2) into a 3-byte group: what any base64 text
 * holding the secret contains, whatever surrounds it.
 */
export function base64Fragment(secret: Buffer, offset: number): string {
  const padded = Buffer.concat([Buffer.alloc(offset), secret, Buffer.alloc(2)]);
  const encoded = padded.toString('base64');
  const first = offset; // first byte of the secret
  const last = offset + secret.length - 1;
  let out = '';
  for (let c = 0; c < encoded.length; c++) {
    const from = Math.floor((6 * c) / 8);
    const to = Math.floor((6 * c + 5) / 8);
    if (from >= first && to <= last) out += encoded[c];
    else if (out) break;
  }
  return out;
}

/**
 * Every form a secret may take in output text, as regular expression sources. A secret made of
 * letters only (a dictionary word: `insecure`) is matched as a whole word in its plain forms,
 * so that it does not mask `insecureSkipVerify`; any other secret, and every base64 form, is
 * matched wherever it appears.
 */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  // Percent-encoded as encodeURIComponent does, and as stricter encoders (RFC 3986 unreserved only) and forms do.
  const strict = [...Buffer.from(secret, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  const form = new URLSearchParams({ x: secret }).toString().slice(2);
  const plain = new Set<string>([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), strict, strict.replace(/%20/g, '+'), form]);
  const forms = [...plain].map((f) => (/^[A-Za-z]+$/.test(f) ? `(?<![A-Za-z])${escapeRegExp(f)}(?![A-Za-z])` : escapeRegExp(f)));
  const bytes = Buffer.from(secret, 'utf8');
  for (let offset = 0; offset < 3; offset++) {
    const fragment = base64Fragment(bytes, offset);
    // Fragments shorter than a secret may be would match by chance.
    if (fragment.length < MIN_SECRET_LENGTH) continue;
    forms.push(escapeRegExp(fragment), escapeRegExp(fragment.replace(/\+/g, '-').replace(/\//g, '_')));
  }
  return [...new Set(forms)];
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A set of secret values and one matcher for all their forms. */
export class SecretSet {
  private readonly values = new Set<string>();
  private matcher: RegExp | null = null;

  constructor(values: Iterable<string> = []) {
    this.addAll(values);
  }

  add(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    this.matcher = null;
  }

  addAll(values: Iterable<string>): void {
    for (const v of values) this.add(v);
  }

  get size(): number {
    return this.values.size;
  }

  [Symbol.iterator](): Iterator<string> {
    return this.values[Symbol.iterator]();
  }

  private pattern(): RegExp | null {
    if (this.values.size === 0) return null;
    if (!this.matcher) {
      const forms = [...new Set([...this.values].flatMap(secretForms))].sort((a, b) => b.length - a.length);
      this.matcher = new RegExp(forms.join('|'), 'g');
    }
    return this.matcher;
  }

  /** Whether the text holds any secret in any form. */
  found(text: string): boolean {
    const p = this.pattern();
    if (!p) return false;
    p.lastIndex = 0;
    return p.test(text);
  }

  /** The text with every form of every secret replaced. */
  mask(text: string, replacement = REDACTED): string {
    const p = this.pattern();
    return p ? text.replace(p, replacement) : text;
  }
}

/** The secrets of the manifest this command loaded; every redactText call masks them. */
let registered = new SecretSet();

export function registerSecrets(values: Iterable<string>): void {
  registered.addAll(values);
}

/** A new command (CliContext) starts with no registered secrets. */
export function clearRegisteredSecrets(): void {
  registered = new SecretSet();
}

export function registeredSecrets(): SecretSet {
  return registered;
}

/** Shapes that are secrets wherever they appear, then the registered values. */
export function redactText(text: string, extra?: SecretSet): string {
  const shaped = text
    .replace(PEM_PRIVATE_KEY, REDACTED)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(BOOTSTRAP_TOKEN, REDACTED)
    .replace(URL_PASSWORD, `$1:${REDACTED}@`);
  const masked = registered.mask(shaped);
  return extra ? extra.mask(masked) : masked;
}

/** Redacts every string inside a value (log metadata), keeping its shape. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value instanceof Error) return redactText(value.message);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, depth + 1);
  return out;
}

/**
 * A stream whose writes are redacted (the CLI's stdout and stderr): the last wall for output
 * a command did not mask itself. Text is written in whole lines or documents, so a secret is
 * never split between two writes.
 */
export function redactingStream<S extends NodeJS.WritableStream>(stream: S): S {
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') {
        return (chunk: unknown, ...rest: unknown[]) => {
          const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk;
          return (target.write as (...a: unknown[]) => boolean)(typeof text === 'string' ? redactText(text) : text, ...rest);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

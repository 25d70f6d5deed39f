// Masks secrets that could slip into a log line: PEM private keys, bearer tokens and
// kubeadm bootstrap tokens. A last line of defence; code should not log secrets at all.
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi;
const BOOTSTRAP_TOKEN = /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g;

export const REDACTED = '[REDACTED]';

export function redactText(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, REDACTED)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(BOOTSTRAP_TOKEN, REDACTED);
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

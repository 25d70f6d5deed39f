// The one retry layer: transient vs permanent failures, and backoff. Transient: the SSH
// connection dropped or timed out, the API was briefly unavailable, or an op says so
// (pkg/ops/errors.ts: TransientError, e.g. kubeadm init failing halfway). Everything else (a
// script exiting non-zero, a 4xx, a PreconditionError) is permanent: retrying would not
// change the answer. Ops never retry on their own.
import { redactText as redactKnown, SecretSet } from '../log/redact.js';
import { SshError } from '../ssh/types.js';
import type { Clock, RetryPolicy } from './types.js';

/** Errors may opt in explicitly (`transient: true`), e.g. an eviction blocked by a PDB. */
export interface MaybeTransient {
  transient?: boolean;
}

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

export function isTransient(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  if ((error as MaybeTransient).transient === true) return true;
  if ((error as MaybeTransient).transient === false) return false;
  if (error instanceof SshError) return error.kind === 'unreachable' || error.kind === 'timeout';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  const status = (error as { statusCode?: unknown; code?: unknown }).statusCode ?? code;
  if (typeof status === 'number' && (status === 429 || status >= 500)) return true;
  // Connection-level failures reaching the API through a tunnel (apiserver restarting).
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && /ECONNREFUSED|ECONNRESET|Connection refused|cannot open a tunnel|socket hang up/i.test(message)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause ? isTransient(cause) : false;
}

export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** (attempt - 1));
}

/** Runs `attempt` until it succeeds, fails permanently, the attempts are used up or the run is cancelled. */
export async function withRetry(
  policy: RetryPolicy,
  clock: Clock,
  signal: AbortSignal,
  attempt: () => Promise<void>,
  onRetry: (failedAttempt: number, delayMs: number, error: unknown) => void,
): Promise<void> {
  for (let n = 1; ; n++) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (signal.aborted || n >= policy.attempts || !isTransient(error)) throw error;
      const delayMs = backoffDelay(policy, n);
      onRetry(n, delayMs, error);
      await clock.sleep(delayMs, signal);
    }
  }
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** Step errors for events and the journal: secrets of the run (join tokens) and of the manifest, in every form. */
export function redactText(text: string, secrets: string[]): string {
  return redactKnown(text, new SecretSet(secrets.filter((s) => s.length >= 6)));
}

// Errors typed by what happened, so the one retry layer (pkg/executor/retry.ts) can tell a
// condition that may pass (retried with backoff) from one that cannot change (never retried).

/** Worth another attempt: an API briefly unavailable, a Node not Ready yet, kubeadm failing halfway. */
export class TransientError extends Error {
  readonly transient = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** A precondition of the step does not hold and retrying cannot change it (no healthy control plane, an addon that was not rendered). */
export class PreconditionError extends Error {
  readonly transient = false;
  constructor(message: string) {
    super(message);
    this.name = 'PreconditionError';
  }
}

// kubeadm init and join that fail halfway are worth another attempt (KubeOne retries them
// too): the executor's one retry layer runs them again, and the next attempt starts by
// resetting what the failed one left on the host. Preconditions stay permanent.
import { PreconditionError, TransientError } from './errors.js';

export async function retryable<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof PreconditionError || !(error instanceof Error)) throw error;
    throw new TransientError(error.message, { cause: error });
  }
}

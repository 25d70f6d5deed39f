// After authentication, OpenSSH's sshd announces the host's other host keys
// (hostkeys-00@openssh.com). ssh2 answers every announcement by asking the host to sign with
// each of those keys (hostkeys-prove-00@openssh.com) so that it can emit a 'hostkeys' event.
// kubeone never listens to that event: known_hosts keeps the key the handshake verified, as
// KubeOne's Go client does (it ignores the announcement). The proof is pure cost: an RSA and
// an ECDSA signature on the host and their verification here, on every connection. At 50
// sandbox hosts sharing 2 cores it was 7-11 % of a probe's wall time (four A/B series).
import type { Client } from 'ssh2';

/** The two ssh2 internals involved (ssh2 1.x: lib/client.js hostKeysProve). */
interface Ssh2ClientInternals {
  _protocol?: { openssh_hostKeysProve?: unknown };
  _callbacks?: unknown;
}

/**
 * Makes `client` decline to ask for the proof. Call it after `client.connect()` (which creates
 * the protocol object) and before authentication completes. Returns false, changing nothing,
 * when this ssh2 does not have the internals this relies on: the connection then works as
 * before, only slower (an e2e test on real sshd catches that).
 */
export function declineHostKeysProof(client: Client): boolean {
  const internals = client as unknown as Ssh2ClientInternals;
  const protocol = internals._protocol;
  if (!protocol || typeof protocol.openssh_hostKeysProve !== 'function' || !Array.isArray(internals._callbacks)) return false;
  protocol.openssh_hostKeysProve = () => {
    // ssh2 queued the reply's callback just before this call; answering it as refused now
    // keeps the queue in step with the replies the host will really send.
    const queue = internals._callbacks;
    const pending: unknown = Array.isArray(queue) ? queue.pop() : undefined;
    if (typeof pending === 'function') pending(true);
  };
  return true;
}

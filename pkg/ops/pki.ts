// The CA material every control plane shares, and the discovery hash of the cluster CA.
import { X509Certificate, createHash } from 'node:crypto';

/** The CA material every control plane must share (kubeadm's list for --upload-certs). */
export const SHARED_PKI = ['ca.crt', 'ca.key', 'sa.key', 'sa.pub', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'etcd/ca.crt', 'etcd/ca.key'];

/** sha256:<hex> of the CA's SubjectPublicKeyInfo, as kubeadm's discovery expects. */
export function caCertHash(caPem: string | Buffer): string {
  const spki = new X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

// The CA material every control plane shares, and the discovery hash of the cluster CA.
import { X509Certificate } from 'node:crypto';
import { sha256Hex } from '../api/sha256.js';
import type { HostTransport } from '../ssh/types.js';

/** The CA material every control plane must share (kubeadm's list for --upload-certs). */
export const SHARED_PKI = ['ca.crt', 'ca.key', 'sa.key', 'sa.pub', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'etcd/ca.crt', 'etcd/ca.key'];

/** PKI directory of kubeadm's control planes. */
export const PKI_DIR = '/etc/kubernetes/pki';

/**
 * The shared CA material of one control plane, in SHARED_PKI's order. The files are read at
 * once, each in its own channel of the host's connection (the transport keeps below sshd's
 * session limit): one after the other they cost a round trip and a sudo each, about 0.5 s of
 * every apply's PKI backup on the sandbox.
 */
export async function readSharedPki(from: Pick<HostTransport, 'readFile'>): Promise<{ file: string; content: Buffer }[]> {
  const contents = await Promise.all(SHARED_PKI.map((file) => from.readFile(`${PKI_DIR}/${file}`)));
  return SHARED_PKI.map((file, i) => ({ file, content: contents[i]! }));
}

/** sha256:<hex> of the CA's SubjectPublicKeyInfo, as kubeadm's discovery expects. */
export function caCertHash(caPem: string | Buffer): string {
  const spki = new X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${sha256Hex(spki)}`;
}

// `kubeone kubeconfig generate`: a kubeconfig with a fresh client certificate for a user
// (CN) and groups (O), signed by the cluster CA (ca.crt and ca.key read from a control plane
// into memory; nothing is written on any host or locally). As KubeOne: RSA 2048 key, client
// auth only, valid for the TTL; the server is the API endpoint; the context is `<cn>@<cluster>`.
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import type { ClusterCA } from '../addons/certificates.js';
import { EXT_KEY_USAGE, KEY_USAGE, createCertificate, parseCertificate, pem, pemDecode } from '../addons/template/x509.js';

export interface ClientKubeconfigRequest {
  clusterName: string;
  /** https://host:port */
  server: string;
  commonName: string;
  organizations: string[];
  ttlMs: number;
  now: Date;
}

/** Client clocks run a little behind the apiserver's at times: the certificate is valid from a minute before now. */
const BACKDATE_MS = 60_000;

export function generateClientKubeconfig(ca: ClusterCA, req: ClientKubeconfigRequest): string {
  const block = pemDecode(ca.cert);
  if (!block || block.type !== 'CERTIFICATE') throw new Error('the cluster CA certificate (ca.crt) holds no PEM certificate');
  const issuer = parseCertificate(block.der);
  const caKey = createPrivateKey(ca.key);
  if (caKey.asymmetricKeyType !== 'rsa' && caKey.asymmetricKeyType !== 'ec') throw new Error('the cluster CA key (ca.key) is not an RSA or ECDSA key');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // A random positive serial below 2^63, as KubeOne's (rand.Int up to MaxInt64).
  const serial = BigInt(`0x${randomBytes(8).toString('hex')}`) & ((1n << 63n) - 1n);
  const notAfter = new Date(Math.min(req.now.getTime() + req.ttlMs, issuer.notAfter.getTime()));
  const der = createCertificate(
    {
      serial: serial === 0n ? 1n : serial,
      commonName: req.commonName,
      organizations: req.organizations,
      notBefore: new Date(req.now.getTime() - BACKDATE_MS),
      notAfter,
      keyUsage: KEY_USAGE.keyEncipherment | KEY_USAGE.digitalSignature,
      extKeyUsage: [EXT_KEY_USAGE.clientAuth],
      basicConstraintsValid: false,
      isCA: false,
    },
    privateKey,
    caKey,
    { subject: issuer.subject, subjectKeyId: issuer.subjectKeyId },
  );
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const context = `${req.commonName}@${req.clusterName}`;
  return stringify(
    {
      apiVersion: 'v1',
      clusters: [{ cluster: { 'certificate-authority-data': b64(ca.cert), server: req.server }, name: req.clusterName }],
      contexts: [{ context: { cluster: req.clusterName, user: context }, name: context }],
      'current-context': context,
      kind: 'Config',
      preferences: {},
      users: [
        {
          name: context,
          user: {
            'client-certificate-data': b64(pem('CERTIFICATE', der)),
            'client-key-data': b64(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
          },
        },
      ],
    },
    { lineWidth: 0 },
  );
}

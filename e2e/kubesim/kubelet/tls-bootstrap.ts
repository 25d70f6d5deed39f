// Kubelet TLS bootstrap: with only a bootstrap kubeconfig (token), send a CSR
// for "system:node:<name>", wait until it is approved and signed, store the
// certificate under /var/lib/kubelet/pki and write the real kubeconfig.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubeClient, poll } from '../common/kube-client.js';
import { loadKubeconfig, writeKubeconfig } from '../common/kubeconfig.js';
import { createCsr, generateKey, privateKeyPem, toPem } from '../pki/x509.js';

export const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
export const SERVING_SIGNER = 'kubernetes.io/kubelet-serving';

/** Submit a CSR and wait for the signed certificate (PEM). */
export async function requestCertificate(
  client: KubeClient,
  opts: { commonName: string; organizations: string[]; signerName: string; usages: string[]; sans?: { dnsNames: string[]; ips: string[] }; timeoutMs: number },
): Promise<{ certPem: string; keyPem: string; csrName: string }> {
  const key = generateKey('ECDSA-P256');
  const csr = createCsr({ commonName: opts.commonName, organizations: opts.organizations }, key, opts.sans);
  const created = await client.create('/apis/certificates.k8s.io/v1/certificatesigningrequests', {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { generateName: 'csr-' },
    spec: { request: Buffer.from(toPem('CERTIFICATE REQUEST', csr)).toString('base64'), signerName: opts.signerName, usages: opts.usages },
  });
  const name = created.metadata.name as string;
  const certPem = await poll(`certificate signing request ${name}`, opts.timeoutMs, 1000, async () => {
    const cur = await client.get(`/apis/certificates.k8s.io/v1/certificatesigningrequests/${name}`);
    const bad = (cur?.status?.conditions ?? []).find((c: any) => (c.type === 'Denied' || c.type === 'Failed') && c.status !== 'False');
    if (bad) throw Object.assign(new Error(`certificate request ${name} was ${bad.type.toLowerCase()}: ${bad.message ?? bad.reason ?? ''}`), { fatal: true });
    return cur?.status?.certificate ? Buffer.from(cur.status.certificate, 'base64').toString('utf8') : undefined;
  });
  return { certPem, keyPem: privateKeyPem(key.privateKey), csrName: name };
}

/**
 * The kubelet's certificate manager starts from the stored certificate: only a missing or
 * expired one makes it ask for a new one (rotation before expiry is not imitated).
 */
export function hasValidCertificate(certDir: string, kind: 'client' | 'server', now = new Date()): boolean {
  try {
    const pem = fs.readFileSync(path.join(certDir, `kubelet-${kind}-current.pem`), 'utf8');
    const cert = new crypto.X509Certificate(pem.slice(0, pem.indexOf('-----END CERTIFICATE-----') + 25));
    return new Date(cert.validTo).getTime() > now.getTime();
  } catch {
    return false;
  }
}

/** Store cert+key as kubelet-<kind>-<stamp>.pem and point <kind>-current.pem at it. */
export function storeCertificate(certDir: string, kind: 'client' | 'server', certPem: string, keyPem: string): string {
  fs.mkdirSync(certDir, { recursive: true, mode: 0o755 });
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').replace(/\..*/, '').replace(/^(\d{8})(\d{6})$/, '$1-$2');
  const file = path.join(certDir, `kubelet-${kind}-${stamp.replace(/(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/, '$1-$2-$3-$4-$5-$6')}.pem`);
  fs.writeFileSync(file, certPem + keyPem, { mode: 0o600 });
  const current = path.join(certDir, `kubelet-${kind}-current.pem`);
  fs.rmSync(current, { force: true });
  fs.symlinkSync(file, current);
  return current;
}

export async function bootstrapClientCertificate(bootstrapKubeconfig: string, kubeconfig: string, certDir: string, nodeName: string, log: (l: string) => void): Promise<void> {
  const cfg = loadKubeconfig(bootstrapKubeconfig);
  const client = new KubeClient(cfg, `kubelet/${nodeName}`);
  try {
    log(`Using bootstrap kubeconfig to generate TLS client cert, key and kubeconfig file`);
    const { certPem, keyPem, csrName } = await requestCertificate(client, {
      commonName: `system:node:${nodeName}`,
      organizations: ['system:nodes'],
      signerName: CLIENT_SIGNER,
      usages: ['digital signature', 'client auth'],
      timeoutMs: 15 * 60_000,
    });
    const current = storeCertificate(certDir, 'client', certPem, keyPem);
    writeKubeconfig(kubeconfig, {
      clusterName: 'default-cluster',
      server: cfg.server,
      caPem: cfg.ca?.toString('utf8') ?? '',
      user: 'default-auth',
      clientCertFile: current,
      clientKeyFile: current,
    });
    // kubeadm-style names in the written file are "default-*", like the kubelet's own.
    log(`Certificate ${csrName} signed; wrote ${kubeconfig}`);
  } finally {
    client.close();
  }
}

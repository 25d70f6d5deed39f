// `.Certificates`: the TLS certificates KubeOne signs with the cluster CA for webhook and
// metrics-server Services, and the CA itself. KubeOne issues new ones on every apply; here
// each certificate is derived from the CA key (an RSA key from a seed, a deterministic
// signature, serial and validity from the CA and the date), so the same CA gives the same
// certificate on every run and plans stay empty. A certificate is renewed every 180 days
// (each is valid for 365 days, or until the CA expires if that is sooner).
// The CA (ca.crt and ca.key) is read from the leader and kept in memory only.
import { type KeyObject, createHmac, createPrivateKey } from 'node:crypto';
import { GoMap, type GoValue } from './template/values.js';
import { EXT_KEY_USAGE, KEY_USAGE, createCertificate, parseCertificate, pem, pemDecode, rsaKeyFromSeed, type ParsedCert } from './template/x509.js';
import { sha256Hex } from '../api/sha256.js';

export const CA_CERT_PATH = '/etc/kubernetes/pki/ca.crt';
export const CA_KEY_PATH = '/etc/kubernetes/pki/ca.key';

/** The cluster CA as read from the leader (PEM). */
export interface ClusterCA {
  cert: string;
  key: string;
}

/** Reads the cluster CA through a host's file access (sudo). */
export async function readClusterCA(host: { readFile(path: string): Promise<Buffer> }): Promise<ClusterCA> {
  const [cert, key] = await Promise.all([host.readFile(CA_CERT_PATH), host.readFile(CA_KEY_PATH)]);
  return { cert: cert.toString('utf8'), key: key.toString('utf8') };
}

/** A short, non-secret identity of a CA (for caches and messages). */
export function caFingerprint(ca: ClusterCA): string {
  return sha256Hex(ca.cert).slice(0, 16);
}

/** What a template gets for a certificate while the cluster (and so its CA) does not exist yet. */
export const PENDING_CERTIFICATE = '(issued by the cluster CA when the cluster exists)';

const DAY = 86_400_000;
const RENEW_EVERY = 180 * DAY;
const VALIDITY = 365 * DAY;

interface Service {
  name: string;
  namespace: string;
}

/** The Services KubeOne issues serving certificates for, by template key prefix. */
export function certificateServices(osm: boolean): Record<string, Service> {
  return {
    MachineControllerWebhook: { name: 'machine-controller-webhook', namespace: 'kube-system' },
    MetricsServer: { name: 'metrics-server', namespace: 'kube-system' },
    CSIWebhook: { name: 'snapshot-validation-service', namespace: 'kube-system' },
    ...(osm ? { OSMWebhook: { name: 'operating-system-manager-webhook', namespace: 'kube-system' } } : {}),
  };
}

interface Signer {
  ca: ParsedCert;
  key: KeyObject;
  keyDer: Buffer;
}

/** Issues the serving certificates of `.Certificates`, deterministically from the CA. */
export class CertificateIssuer {
  private signer: Signer | undefined;
  private readonly cache = new Map<string, { cert: string; key: string }>();
  /** Set when a template asked for a certificate that needs the (not yet existing) CA. */
  usedWithoutCA = false;

  constructor(
    private readonly ca: ClusterCA | null,
    private readonly serviceDomain: string,
    private readonly now: Date,
  ) {}

  private getSigner(): Signer {
    if (this.signer) return this.signer;
    const block = pemDecode(this.ca!.cert);
    if (!block) throw new Error('parsing kubernetes CA certificate PEM: does not contain at least one valid certificate');
    const key = createPrivateKey(this.ca!.key);
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') throw new Error('parsing kubernetes CA key: private key is not a RSA or ECDSA type');
    this.signer = { ca: parseCertificate(block.der), key, keyDer: key.export({ type: 'pkcs8', format: 'der' }) };
    return this.signer;
  }

  /** The CA certificate (KubernetesCA). */
  caCert(): string {
    if (!this.ca) {
      this.usedWithoutCA = true;
      return PENDING_CERTIFICATE;
    }
    return pem('CERTIFICATE', this.getSigner().ca.der);
  }

  /** Certificate and key (PEM) for a Service, as certificate.NewSignedKubernetesServiceTLSCert makes them. */
  issue(svc: Service): { cert: string; key: string } {
    if (!this.ca) {
      this.usedWithoutCA = true;
      return { cert: PENDING_CERTIFICATE, key: PENDING_CERTIFICATE };
    }
    const id = `${svc.name}.${svc.namespace}.svc.${this.serviceDomain}`;
    const cached = this.cache.get(id);
    if (cached) return cached;
    const signer = this.getSigner();
    const seed = createHmac('sha256', signer.keyDer).update(`kubeone addon certificate key\0${svc.name}.${svc.namespace}`).digest();
    const { key, pkcs1 } = rsaKeyFromSeed(seed);
    // Validity: renewal windows of 180 days counted from the CA's notBefore.
    const epoch = signer.ca.notBefore.getTime();
    const window = Math.max(0, Math.floor((this.now.getTime() - epoch) / RENEW_EVERY));
    const notBefore = new Date(epoch + window * RENEW_EVERY);
    const notAfter = new Date(Math.min(notBefore.getTime() + VALIDITY, signer.ca.notAfter.getTime()));
    const serialSeed = createHmac('sha256', signer.keyDer).update(`kubeone addon certificate serial\0${id}\0${window}`).digest();
    const serial = BigInt(`0x${serialSeed.subarray(0, 8).toString('hex')}`) & ((1n << 63n) - 1n);
    const common = `${svc.name}.${svc.namespace}.svc`;
    const der = createCertificate(
      {
        serial,
        commonName: common,
        dnsNames: [`${common}.${this.serviceDomain}`, common],
        notBefore,
        notAfter,
        keyUsage: KEY_USAGE.keyEncipherment | KEY_USAGE.digitalSignature,
        extKeyUsage: [EXT_KEY_USAGE.serverAuth],
        basicConstraintsValid: false,
        isCA: false,
      },
      key,
      signer.key,
      { subject: signer.ca.subject, subjectKeyId: signer.ca.subjectKeyId },
    );
    const out = { cert: pem('CERTIFICATE', der), key: pem('RSA PRIVATE KEY', pkcs1) };
    this.cache.set(id, out);
    return out;
  }
}

/** A map whose values are computed when first read (certificates cost an RSA key each). */
class LazyEntries extends Map<string, GoValue> {
  constructor(private readonly compute: Map<string, () => GoValue>) {
    super();
  }
  override get(k: string): GoValue | undefined {
    if (!super.has(k) && this.compute.has(k)) super.set(k, this.compute.get(k)!());
    return super.get(k);
  }
  override has(k: string): boolean {
    return this.compute.has(k) || super.has(k);
  }
  override get size(): number {
    return new Set([...this.compute.keys(), ...super.keys()]).size;
  }
  override keys(): MapIterator<string> {
    return new Set([...this.compute.keys(), ...super.keys()]).values();
  }
  override entries(): MapIterator<[string, GoValue]> {
    return [...this.keys()].map((k): [string, GoValue] => [k, this.get(k)!]).values();
  }
  override values(): MapIterator<GoValue> {
    return [...this.keys()].map((k) => this.get(k)!).values();
  }
  override [Symbol.iterator](): MapIterator<[string, GoValue]> {
    return this.entries();
  }
  override forEach(cb: (v: GoValue, k: string, m: Map<string, GoValue>) => void): void {
    for (const [k, v] of this.entries()) cb(v, k, this);
  }
}

/** `.Certificates` (map[string]string), computed on first use of each entry. */
export function certificatesMap(issuer: CertificateIssuer, osm: boolean): GoMap {
  const compute = new Map<string, () => GoValue>();
  for (const [prefix, svc] of Object.entries(certificateServices(osm))) {
    compute.set(`${prefix}Cert`, () => issuer.issue(svc).cert);
    compute.set(`${prefix}Key`, () => issuer.issue(svc).key);
  }
  compute.set('KubernetesCA', () => issuer.caCert());
  return new GoMap('map[string]string', new LazyEntries(compute));
}

// The certificate set kubeadm's "certs" phase writes under /etc/kubernetes/pki:
// names, subjects, usages, SANs and lifetimes as kubeadm makes them. Existing
// files are kept ("Using existing ..."), as kubeadm does.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { firstServiceIp } from '../common/net.js';
import {
  createCertificate,
  generateKey,
  parseCertificate,
  privateKeyPem,
  publicKeyPem,
  toPem,
  type DistinguishedName,
  type KeyAlgorithm,
} from './x509.js';

export const CA_VALIDITY_MS = 10 * 365 * 24 * 3_600_000;
export const CERT_VALIDITY_MS = 365 * 24 * 3_600_000;
const BACKDATE_MS = 5 * 60_000;

export interface PkiSpec {
  certificatesDir: string;
  nodeName: string;
  advertiseAddress: string;
  /** host[:port] of ClusterConfiguration.controlPlaneEndpoint, may be empty. */
  controlPlaneEndpoint: string;
  apiServerCertSANs: string[];
  etcdServerCertSANs: string[];
  etcdPeerCertSANs: string[];
  serviceSubnet: string;
  dnsDomain: string;
  encryptionAlgorithm: KeyAlgorithm;
  certificateValidityMs: number;
  caCertificateValidityMs: number;
}

export interface LoadedCa {
  certPem: string;
  key: crypto.KeyObject;
  subjectDer: Buffer;
  spki: Buffer;
  notBefore: Date;
  notAfter: Date;
}

interface LeafSpec {
  /** Path relative to certificatesDir without extension, e.g. "etcd/server". */
  name: string;
  /** Human name used in kubeadm's log lines. */
  title: string;
  ca: 'ca' | 'front-proxy-ca' | 'etcd/ca';
  subject: DistinguishedName;
  usages: Array<'server' | 'client'>;
  dnsNames?: string[];
  ips?: string[];
}

export const CA_NAMES = { ca: 'kubernetes', 'front-proxy-ca': 'front-proxy-ca', 'etcd/ca': 'etcd-ca' } as const;
export type CaName = keyof typeof CA_NAMES;

function splitNames(values: string[]): { dns: string[]; ips: string[] } {
  const dns: string[] = [];
  const ips: string[] = [];
  for (const v of values) {
    if (!v) continue;
    if (/^[\d.]+$/.test(v) || v.includes(':')) ips.push(v);
    else dns.push(v);
  }
  return { dns: [...new Set(dns)], ips: [...new Set(ips)] };
}

export function endpointHost(endpoint: string): string {
  if (!endpoint) return '';
  if (endpoint.startsWith('[')) return endpoint.slice(1, endpoint.indexOf(']'));
  const parts = endpoint.split(':');
  return parts.length === 2 ? parts[0]! : endpoint;
}

export function leafSpecs(spec: PkiSpec): LeafSpec[] {
  const apiserverNames = splitNames([
    spec.nodeName,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${spec.dnsDomain}`,
    firstServiceIp(spec.serviceSubnet),
    spec.advertiseAddress,
    endpointHost(spec.controlPlaneEndpoint),
    ...spec.apiServerCertSANs,
  ]);
  const etcdNames = (extra: string[]): { dns: string[]; ips: string[] } =>
    splitNames([spec.nodeName, 'localhost', spec.advertiseAddress, '127.0.0.1', '0:0:0:0:0:0:0:1', ...extra]);
  const server = etcdNames(spec.etcdServerCertSANs);
  const peer = etcdNames(spec.etcdPeerCertSANs);
  return [
    { name: 'apiserver', title: 'apiserver', ca: 'ca', subject: { commonName: 'kube-apiserver' }, usages: ['server'], dnsNames: apiserverNames.dns, ips: apiserverNames.ips },
    { name: 'apiserver-kubelet-client', title: 'apiserver-kubelet-client', ca: 'ca', subject: { commonName: 'kube-apiserver-kubelet-client', organizations: ['kubeadm:cluster-admins'] }, usages: ['client'] },
    { name: 'front-proxy-client', title: 'front-proxy-client', ca: 'front-proxy-ca', subject: { commonName: 'front-proxy-client' }, usages: ['client'] },
    { name: 'etcd/server', title: 'etcd/server', ca: 'etcd/ca', subject: { commonName: spec.nodeName }, usages: ['server', 'client'], dnsNames: server.dns, ips: server.ips },
    { name: 'etcd/peer', title: 'etcd/peer', ca: 'etcd/ca', subject: { commonName: spec.nodeName }, usages: ['server', 'client'], dnsNames: peer.dns, ips: peer.ips },
    { name: 'etcd/healthcheck-client', title: 'etcd/healthcheck-client', ca: 'etcd/ca', subject: { commonName: 'kube-etcd-healthcheck-client' }, usages: ['client'] },
    { name: 'apiserver-etcd-client', title: 'apiserver-etcd-client', ca: 'etcd/ca', subject: { commonName: 'kube-apiserver-etcd-client' }, usages: ['client'] },
  ];
}

function writeFile(file: string, data: string, mode: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data, { mode });
  fs.chmodSync(file, mode);
}

export function loadCa(dir: string, name: CaName): LoadedCa | undefined {
  const crt = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  if (!fs.existsSync(crt) || !fs.existsSync(key)) return undefined;
  const certPem = fs.readFileSync(crt, 'utf8');
  const parsed = parseCertificate(certPem);
  return {
    certPem,
    key: crypto.createPrivateKey(fs.readFileSync(key)),
    subjectDer: parsed.subjectDer,
    spki: parsed.spki,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  };
}

export function createCa(spec: PkiSpec, name: CaName, now: Date): LoadedCa {
  const keys = generateKey(spec.encryptionAlgorithm);
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const der = createCertificate(
    { subject: { commonName: CA_NAMES[name] }, publicKey: keys.publicKey, notBefore, notAfter: new Date(now.getTime() + spec.caCertificateValidityMs), isCA: true, dnsNames: [CA_NAMES[name]] },
    { selfKey: keys.privateKey },
  );
  const certPem = toPem('CERTIFICATE', der);
  writeFile(path.join(spec.certificatesDir, `${name}.crt`), certPem, 0o644);
  writeFile(path.join(spec.certificatesDir, `${name}.key`), privateKeyPem(keys.privateKey), 0o600);
  return loadCa(spec.certificatesDir, name)!;
}

/** Sign a leaf certificate with a CA; the lifetime never outlives the CA. */
export function signLeaf(ca: LoadedCa, subject: DistinguishedName, publicKey: crypto.KeyObject, opts: { usages: Array<'server' | 'client'>; dnsNames?: string[]; ips?: string[]; validityMs: number; now: Date }): string {
  let notAfter = new Date(opts.now.getTime() + opts.validityMs);
  if (notAfter > ca.notAfter) notAfter = ca.notAfter;
  const notBefore = new Date(Math.max(ca.notBefore.getTime(), opts.now.getTime() - BACKDATE_MS));
  const der = createCertificate(
    { subject, publicKey, notBefore, notAfter, usages: opts.usages, dnsNames: opts.dnsNames, ips: opts.ips },
    { subject: ca.subjectDer, spki: ca.spki, privateKey: ca.key },
  );
  return toPem('CERTIFICATE', der);
}

export type Logger = (line: string) => void;

/** kubeadm init phase certs all. Returns the names it created. */
export function ensureAllCerts(spec: PkiSpec, log: Logger, now = new Date(), only?: string[]): string[] {
  const created: string[] = [];
  const want = (n: string): boolean => !only || only.includes(n);
  log(`[certs] Using certificateDir folder "${spec.certificatesDir}"`);
  const cas: Partial<Record<CaName, LoadedCa>> = {};
  for (const name of Object.keys(CA_NAMES) as CaName[]) {
    const existing = loadCa(spec.certificatesDir, name);
    if (existing) {
      log(`[certs] Using existing ${name} certificate authority`);
      cas[name] = existing;
    } else if (want(name)) {
      log(`[certs] Generating "${name}" certificate and key`);
      cas[name] = createCa(spec, name, now);
      created.push(name);
    }
  }
  for (const leaf of leafSpecs(spec)) {
    if (!want(leaf.name)) continue;
    const crt = path.join(spec.certificatesDir, `${leaf.name}.crt`);
    if (fs.existsSync(crt) && fs.existsSync(path.join(spec.certificatesDir, `${leaf.name}.key`))) {
      checkSans(crt, leaf);
      log(`[certs] Using existing ${leaf.title} certificate and key on disk`);
      continue;
    }
    const ca = cas[leaf.ca];
    if (!ca) throw new Error(`couldn't load CA certificate ${leaf.ca}: open ${path.join(spec.certificatesDir, leaf.ca)}.crt: no such file or directory`);
    log(`[certs] Generating "${leaf.title}" certificate and key`);
    if (leaf.dnsNames || leaf.ips) log(`[certs] ${leaf.title} serving cert is signed for DNS names [${(leaf.dnsNames ?? []).join(' ')}] and IPs [${(leaf.ips ?? []).join(' ')}]`);
    issueLeaf(spec, leaf, ca, now);
    created.push(leaf.name);
  }
  if (want('sa')) ensureServiceAccountKey(spec, log);
  return created;
}

export function issueLeaf(spec: PkiSpec, leaf: LeafSpec, ca: LoadedCa, now: Date, existingKey?: crypto.KeyObject): void {
  const key = existingKey ?? generateKey(spec.encryptionAlgorithm).privateKey;
  const pem = signLeaf(ca, leaf.subject, crypto.createPublicKey(key), { usages: leaf.usages, dnsNames: leaf.dnsNames, ips: leaf.ips, validityMs: spec.certificateValidityMs, now });
  writeFile(path.join(spec.certificatesDir, `${leaf.name}.crt`), pem, 0o644);
  if (!existingKey) writeFile(path.join(spec.certificatesDir, `${leaf.name}.key`), privateKeyPem(key), 0o600);
}

function checkSans(crtFile: string, leaf: LeafSpec): void {
  if (!leaf.dnsNames && !leaf.ips) return;
  const x509 = parseCertificate(fs.readFileSync(crtFile, 'utf8')).x509;
  const sans = x509.subjectAltName ?? '';
  const missing = [
    ...(leaf.dnsNames ?? []).filter((d) => !sans.includes(`DNS:${d}`)),
    ...(leaf.ips ?? []).filter((ip) => !sans.split(', ').some((s) => s.startsWith('IP Address:') && normalizeIp(s.slice(11)) === normalizeIp(ip))),
  ];
  if (missing.length) {
    throw new Error(`[certs] certificate ${leaf.title} is invalid: x509: certificate is valid for ${sans}, not ${missing[0]}`);
  }
}

function normalizeIp(ip: string): string {
  return ip === '0:0:0:0:0:0:0:1' || ip === '::1' ? '::1' : ip.toLowerCase();
}

export function ensureServiceAccountKey(spec: PkiSpec, log: Logger): void {
  const keyFile = path.join(spec.certificatesDir, 'sa.key');
  if (fs.existsSync(keyFile)) {
    log('[certs] Using the existing "sa" key');
    return;
  }
  log('[certs] Generating "sa" key and public key');
  const alg = spec.encryptionAlgorithm.startsWith('RSA') ? spec.encryptionAlgorithm : 'RSA-2048';
  const keys = generateKey(alg);
  writeFile(keyFile, privateKeyPem(keys.privateKey), 0o600);
  writeFile(path.join(spec.certificatesDir, 'sa.pub'), publicKeyPem(keys.publicKey), 0o644);
}

// X.509 certificates and PKCS#10 requests built with node:crypto keys and the
// DER encoder in der.ts: CA and leaf certificates the way kubeadm makes them
// (key usages, extended usages, SANs, key identifiers).
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import * as der from './der.js';

export type KeyAlgorithm = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'ECDSA-P256' | 'ECDSA-P384';

export interface KeyPair {
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
}

export function generateKey(alg: KeyAlgorithm = 'RSA-2048'): KeyPair {
  if (alg.startsWith('RSA')) {
    return crypto.generateKeyPairSync('rsa', { modulusLength: Number(alg.slice(4)) });
  }
  return crypto.generateKeyPairSync('ec', { namedCurve: alg === 'ECDSA-P384' ? 'P-384' : 'P-256' });
}

/** PEM of a private key as kubeadm writes it: PKCS#1 for RSA, SEC1 for EC. */
export function privateKeyPem(key: crypto.KeyObject): string {
  const type = key.asymmetricKeyType === 'rsa' ? 'pkcs1' : 'sec1';
  return key.export({ type, format: 'pem' }).toString();
}

export function publicKeyPem(key: crypto.KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

export function toPem(label: string, body: Buffer): string {
  const b64 = body.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export function fromPem(pem: string, label: string): Buffer {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem);
  if (!m) throw new Error(`no ${label} PEM block found`);
  return Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
}

export interface DistinguishedName {
  commonName: string;
  organizations?: string[];
}

const OID = {
  cn: '2.5.4.3',
  o: '2.5.4.10',
  rsaSha256: '1.2.840.113549.1.1.11',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

export function encodeName(dn: DistinguishedName): Buffer {
  const rdn = (type: string, value: string): Buffer => der.set(der.sequence(der.oid(type), der.utf8String(value)));
  return der.sequence(...(dn.organizations ?? []).map((o) => rdn(OID.o, o)), rdn(OID.cn, dn.commonName));
}

function signatureAlgorithm(key: crypto.KeyObject): { der: Buffer; hash: string } {
  if (key.asymmetricKeyType === 'rsa') return { der: der.sequence(der.oid(OID.rsaSha256), der.nullValue()), hash: 'sha256' };
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'secp384r1') return { der: der.sequence(der.oid(OID.ecdsaSha384)), hash: 'sha384' };
  return { der: der.sequence(der.oid(OID.ecdsaSha256)), hash: 'sha256' };
}

function spkiDer(key: crypto.KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/** SHA-1 of the subjectPublicKey bits, the usual key identifier (RFC 5280 4.2.1.2). */
function keyIdentifier(spki: Buffer): Buffer {
  const [, bits] = der.children(der.read(spki));
  return crypto.createHash('sha1').update(bits!.content.subarray(1)).digest();
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

function encodeSans(dnsNames: string[], ips: string[]): Buffer {
  const names = dnsNames.map((d) => der.implicitPrimitive(2, Buffer.from(d, 'ascii')));
  const addrs = ips.map((ip) => der.implicitPrimitive(7, ipBytes(ip)));
  return der.sequence(...names, ...addrs);
}

function ipBytes(ip: string): Buffer {
  if (net.isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  const full = expandIPv6(ip);
  return Buffer.from(full.flatMap((h) => [h >> 8, h & 0xff]));
}

function expandIPv6(ip: string): number[] {
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const parse = (s: string | undefined): number[] => (s ? s.split(':').map((h) => parseInt(h, 16)) : []);
  const a = parse(head);
  const b = parse(tail);
  return [...a, ...new Array(8 - a.length - b.length).fill(0), ...b];
}

export interface CertificateRequest {
  subject: DistinguishedName;
  publicKey: crypto.KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCA?: boolean;
  usages?: Array<'server' | 'client'>;
  dnsNames?: string[];
  ips?: string[];
}

export interface Issuer {
  /** DER of the issuer's subject Name. */
  subject: Buffer;
  /** DER SubjectPublicKeyInfo of the issuer key (for the authority key id). */
  spki: Buffer;
  privateKey: crypto.KeyObject;
}

/** Build and sign a certificate. Without issuer it is self-signed (signed by selfKey). */
export function createCertificate(req: CertificateRequest, issuer: Issuer | { selfKey: crypto.KeyObject }): Buffer {
  const spki = spkiDer(req.publicKey);
  const subject = encodeName(req.subject);
  const signer = 'selfKey' in issuer ? { subject, spki, privateKey: issuer.selfKey } : issuer;
  const alg = signatureAlgorithm(signer.privateKey);
  const serial = BigInt('0x' + crypto.randomBytes(8).toString('hex')) & 0x7fffffffffffffffn;

  const keyUsageByte = req.isCA ? 0xa4 : 0xa0; // digitalSignature|keyEncipherment(|keyCertSign)
  const exts: Buffer[] = [
    extension(OID.keyUsage, true, der.bitString(Buffer.from([keyUsageByte]), req.isCA ? 2 : 5)),
  ];
  if (req.usages?.length) {
    const ekus = req.usages.map((u) => der.oid(u === 'server' ? OID.serverAuth : OID.clientAuth));
    exts.push(extension(OID.extKeyUsage, false, der.sequence(...ekus)));
  }
  exts.push(extension(OID.basicConstraints, true, req.isCA ? der.sequence(der.boolean(true)) : der.sequence()));
  if (req.isCA) exts.push(extension(OID.subjectKeyId, false, der.octetString(keyIdentifier(spki))));
  if (!('selfKey' in issuer)) {
    exts.push(extension(OID.authorityKeyId, false, der.sequence(der.implicitPrimitive(0, keyIdentifier(signer.spki)))));
  }
  if (req.dnsNames?.length || req.ips?.length) {
    exts.push(extension(OID.subjectAltName, false, encodeSans(req.dnsNames ?? [], req.ips ?? [])));
  }

  const tbs = der.sequence(
    der.explicit(0, der.integer(2)),
    der.integer(serial),
    alg.der,
    signer.subject,
    der.sequence(der.time(req.notBefore), der.time(req.notAfter)),
    subject,
    spki,
    der.explicit(3, der.sequence(...exts)),
  );
  const signature = crypto.sign(alg.hash, tbs, signer.privateKey);
  return der.sequence(tbs, alg.der, der.bitString(signature));
}

/** The parts of a certificate the simulator needs beyond what X509Certificate offers. */
export interface ParsedCertificate {
  x509: crypto.X509Certificate;
  subjectDer: Buffer;
  spki: Buffer;
  notBefore: Date;
  notAfter: Date;
}

export function parseCertificate(pemOrDer: string | Buffer): ParsedCertificate {
  const body = typeof pemOrDer === 'string' ? fromPem(pemOrDer, 'CERTIFICATE') : pemOrDer;
  const x509 = new crypto.X509Certificate(body);
  const tbs = der.children(der.children(der.read(body))[0]!);
  const fields = tbs[0]!.tag === 0xa0 ? tbs.slice(1) : tbs; // skip [0] version
  return {
    x509,
    subjectDer: fields[4]!.raw,
    spki: fields[5]!.raw,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
  };
}

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';

/** PKCS#10 request, as the kubelet sends for its client (or, with SANs, serving) certificate. */
export function createCsr(subject: DistinguishedName, key: KeyPair, sans?: { dnsNames: string[]; ips: string[] }): Buffer {
  const attrs = sans
    ? der.sequence(der.oid(EXTENSION_REQUEST), der.set(der.sequence(extension(OID.subjectAltName, false, encodeSans(sans.dnsNames, sans.ips)))))
    : Buffer.alloc(0);
  const info = der.sequence(der.integer(0), encodeName(subject), spkiDer(key.publicKey), der.tlv(0xa0, attrs));
  const alg = signatureAlgorithm(key.privateKey);
  return der.sequence(info, alg.der, der.bitString(crypto.sign(alg.hash, info, key.privateKey)));
}

export interface ParsedCsr {
  subjectDer: Buffer;
  dnsNames: string[];
  ips: string[];
  commonName: string;
  organizations: string[];
  publicKey: crypto.KeyObject;
}

/** Parse and verify the self-signature of a PKCS#10 request. */
export function parseCsr(pemOrDer: string | Buffer): ParsedCsr {
  const body = typeof pemOrDer === 'string' ? fromPem(pemOrDer, 'CERTIFICATE REQUEST') : pemOrDer;
  const [info, algNode, sig] = der.children(der.read(body));
  const [, subject, spki, attrs] = der.children(info!);
  const publicKey = crypto.createPublicKey({ key: spki!.raw, format: 'der', type: 'spki' });
  const algOid = der.decodeOid(der.children(algNode!)[0]!.content);
  const hash = algOid === OID.ecdsaSha384 ? 'sha384' : 'sha256';
  if (!crypto.verify(hash, info!.raw, publicKey, sig!.content.subarray(1))) {
    throw new Error('certificate request signature does not verify');
  }
  const names = decodeName(subject!);
  const sans = attrs ? requestedSans(attrs) : { dnsNames: [], ips: [] };
  return { subjectDer: subject!.raw, publicKey, commonName: names.commonName, organizations: names.organizations ?? [], ...sans };
}

function requestedSans(attrs: der.Node): { dnsNames: string[]; ips: string[] } {
  const out = { dnsNames: [] as string[], ips: [] as string[] };
  for (const attr of der.children(attrs)) {
    const [type, values] = der.children(attr);
    if (der.decodeOid(type!.content) !== EXTENSION_REQUEST) continue;
    for (const ext of der.children(der.children(values!)[0]!)) {
      const parts = der.children(ext);
      if (der.decodeOid(parts[0]!.content) !== OID.subjectAltName) continue;
      const value = parts[parts.length - 1]!.content;
      for (const name of der.children(der.read(value))) {
        if (name.tag === 0x82) out.dnsNames.push(name.content.toString('ascii'));
        if (name.tag === 0x87 && name.content.length === 4) out.ips.push([...name.content].join('.'));
      }
    }
  }
  return out;
}

function decodeName(name: der.Node): DistinguishedName {
  let commonName = '';
  const organizations: string[] = [];
  for (const rdn of der.children(name)) {
    for (const atv of der.children(rdn)) {
      const [type, value] = der.children(atv);
      const id = der.decodeOid(type!.content);
      if (id === OID.cn) commonName = value!.content.toString('utf8');
      if (id === OID.o) organizations.push(value!.content.toString('utf8'));
    }
  }
  return { commonName, organizations };
}

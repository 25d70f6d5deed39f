// X.509 certificates as Go's crypto/x509 CreateCertificate writes them (version 3, the
// extensions in Go's order and encoding), PEM helpers, a minimal DER reader for the parts
// of a CA certificate a signer needs (subject, subject key id, validity), and RSA keys
// derived from a seed (so certificates for addons are the same on every run).
import { KeyObject, checkPrimeSync, createHash, createHmac, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { isIP } from 'node:net';

// ------------------------------------------------------------------------------ DER writer

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

export const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);
const set = (...c: Buffer[]): Buffer => tlv(0x31, ...c);
const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
const bool = (b: boolean): Buffer => Buffer.from([0x01, 0x01, b ? 0xff : 0x00]);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const explicit = (n: number, ...c: Buffer[]): Buffer => tlv(0xa0 | n, ...c);

export function derInteger(v: bigint | number): Buffer {
  let n = BigInt(v);
  if (n === 0n) return Buffer.from([0x02, 0x01, 0x00]);
  const neg = n < 0n;
  if (neg) throw new Error('negative integers are not used here');
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  n = 0n;
  return tlv(0x02, bytes);
}

export function oid(s: string): Buffer {
  const parts = s.split('.').map(Number);
  const bytes = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [];
    let x = p;
    chunk.unshift(x & 0x7f);
    for (x = Math.floor(x / 128); x > 0; x = Math.floor(x / 128)) chunk.unshift((x & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function bitString(bytes: Buffer, unused = 0): Buffer {
  return tlv(0x03, Buffer.from([unused]), bytes);
}

function isPrintable(s: string): boolean {
  return /^[A-Za-z0-9 '()+,\-./:=?*&]*$/.test(s);
}

function directoryString(s: string): Buffer {
  return tlv(isPrintable(s) ? 0x13 : 0x0c, Buffer.from(s, 'utf8'));
}

function time(d: Date): Buffer {
  const iso = d.toISOString();
  const y = d.getUTCFullYear();
  const body = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(body, 'ascii'));
  return tlv(0x18, Buffer.from(`${String(y).padStart(4, '0')}${body.slice(2)}`, 'ascii'));
}

/** pkix.Name with a CommonName (and Organizations) as Go's ToRDNSequence encodes it. */
export function nameDER(cn: string, organizations: string[] = []): Buffer {
  const rdns: Buffer[] = [];
  for (const o of organizations) rdns.push(set(seq(oid('2.5.4.10'), directoryString(o))));
  if (cn) rdns.push(set(seq(oid('2.5.4.3'), directoryString(cn))));
  return seq(...rdns);
}

// ------------------------------------------------------------------------------ DER reader

export interface Der {
  tag: number;
  /** The whole TLV. */
  raw: Buffer;
  body: Buffer;
  children?: Der[];
}

export function readDer(buf: Buffer, offset = 0): Der & { end: number } {
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let hdr = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[offset + 2 + i]!;
    hdr += n;
  }
  const start = offset + hdr;
  const end = start + len;
  const node: Der & { end: number } = { tag, raw: buf.subarray(offset, end), body: buf.subarray(start, end), end };
  if (tag & 0x20) {
    node.children = [];
    for (let p = start; p < end; ) {
      const child = readDer(buf, p);
      node.children.push(child);
      p = child.end;
    }
  }
  return node;
}

function readTime(d: Der): Date {
  const s = d.body.toString('ascii');
  const full = d.tag === 0x17 ? `${Number(s.slice(0, 2)) >= 50 ? '19' : '20'}${s}` : s;
  return new Date(Date.UTC(Number(full.slice(0, 4)), Number(full.slice(4, 6)) - 1, Number(full.slice(6, 8)), Number(full.slice(8, 10)), Number(full.slice(10, 12)), Number(full.slice(12, 14))));
}

export interface ParsedCert {
  der: Buffer;
  subject: Buffer;
  subjectKeyId: Buffer | undefined;
  notBefore: Date;
  notAfter: Date;
}

/** The fields of a certificate a signer needs. */
export function parseCertificate(der: Buffer): ParsedCert {
  const cert = readDer(der);
  const tbs = cert.children![0]!;
  const f = tbs.children!;
  const base = f[0]!.tag === 0xa0 ? 1 : 0;
  const validity = f[base + 3]!.children!;
  const subject = f[base + 4]!.raw;
  let subjectKeyId: Buffer | undefined;
  const extWrapper = f.find((x) => x.tag === 0xa3);
  for (const ext of extWrapper?.children?.[0]?.children ?? []) {
    const id = ext.children![0]!;
    if (id.body.equals(oid('2.5.29.14').subarray(2))) {
      const value = ext.children![ext.children!.length - 1]!;
      subjectKeyId = readDer(value.body).body;
    }
  }
  return { der, subject, subjectKeyId, notBefore: readTime(validity[0]!), notAfter: readTime(validity[1]!) };
}

// ------------------------------------------------------------------------------ PEM

export function pem(type: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${type}-----\n${b64}\n-----END ${type}-----\n`;
}

/** The first PEM block of `text` (Go's pem.Decode), or undefined. */
export function pemDecode(text: string): { type: string; der: Buffer } | undefined {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n(?:[A-Za-z-]+:.*\r?\n)*\r?\n?([A-Za-z0-9+/=\s]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  return { type: m[1]!, der: Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64') };
}

// ------------------------------------------------------------------------------ certificates

export const KEY_USAGE = { digitalSignature: 1 << 0, keyEncipherment: 1 << 2, certSign: 1 << 5 } as const;
export const EXT_KEY_USAGE = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' } as const;

function reverseBits(b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 1 << (7 - i);
  return r;
}

function keyUsageExt(ku: number): Buffer {
  const a = [reverseBits(ku & 0xff), reverseBits((ku >> 8) & 0xff)];
  const bytes = Buffer.from(a[1] ? a : [a[0]!]);
  const last = bytes[bytes.length - 1]!;
  let unused = 0;
  while (unused < 8 && !(last & (1 << unused))) unused++;
  return seq(oid('2.5.29.15'), bool(true), octets(bitString(bytes, unused)));
}

function signatureAlgorithm(key: KeyObject): { alg: Buffer; hash: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { alg: seq(oid('1.2.840.113549.1.1.11'), nullValue()), hash: 'sha256' };
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'secp384r1') return { alg: seq(oid('1.2.840.10045.4.3.3')), hash: 'sha384' };
      if (curve === 'secp521r1') return { alg: seq(oid('1.2.840.10045.4.3.4')), hash: 'sha512' };
      return { alg: seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
    }
    case 'ed25519':
      return { alg: seq(oid('1.3.101.112')), hash: null };
    default:
      throw new Error('x509: only RSA, ECDSA and Ed25519 keys supported');
  }
}

/** Bytes of an IP address as a SAN carries them (4 for IPv4, 16 for IPv6). */
export function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  let s = ip;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const b = v4.slice(1).map(Number);
    s = `${s.slice(0, -v4[0].length)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const groups = (part: string | undefined): number[] => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const [head, tail] = s.split('::');
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return Buffer.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

export interface CertificateTemplate {
  serial: bigint;
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  notBefore: Date;
  notAfter: Date;
  keyUsage: number;
  extKeyUsage: string[];
  basicConstraintsValid: boolean;
  isCA: boolean;
}

export interface Issuer {
  /** DER of the issuer's subject Name. */
  subject: Buffer;
  subjectKeyId?: Buffer | undefined;
  key: KeyObject;
}

/** x509.CreateCertificate: a DER certificate for `publicKey` (or a private key's public half) signed by `signer` as `issuer` (self-signed when issuer is omitted). */
export function createCertificate(tpl: CertificateTemplate, publicKey: KeyObject, signer: KeyObject, issuer?: Omit<Issuer, 'key'>): Buffer {
  const subject = nameDER(tpl.commonName, tpl.organizations);
  const issuerName = issuer?.subject ?? subject;
  const spki = (publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey).export({ type: 'spki', format: 'der' });
  const { alg, hash } = signatureAlgorithm(signer);
  const exts: Buffer[] = [];
  if (tpl.keyUsage) exts.push(keyUsageExt(tpl.keyUsage));
  if (tpl.extKeyUsage.length) exts.push(seq(oid('2.5.29.37'), octets(seq(...tpl.extKeyUsage.map(oid)))));
  if (tpl.basicConstraintsValid) exts.push(seq(oid('2.5.29.19'), bool(true), octets(tpl.isCA ? seq(bool(true)) : seq())));
  let ski: Buffer | undefined;
  if (tpl.isCA) {
    const keyBits = readDer(spki).children![1]!.body.subarray(1);
    ski = createHash('sha256').update(keyBits).digest().subarray(0, 20);
    exts.push(seq(oid('2.5.29.14'), octets(octets(ski))));
  }
  if (issuer && !issuer.subject.equals(subject) && issuer.subjectKeyId?.length) {
    exts.push(seq(oid('2.5.29.35'), octets(seq(tlv(0x80, issuer.subjectKeyId)))));
  }
  const sans = [
    ...(tpl.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d, 'ascii'))),
    ...(tpl.ipAddresses ?? []).map((ip) => tlv(0x87, ipBytes(ip))),
  ];
  if (sans.length) exts.push(seq(oid('2.5.29.17'), ...(subject.length <= 2 ? [bool(true)] : []), octets(seq(...sans))));
  const tbs = seq(
    explicit(0, derInteger(2)),
    derInteger(tpl.serial),
    alg,
    issuerName,
    seq(time(tpl.notBefore), time(tpl.notAfter)),
    subject,
    spki,
    ...(exts.length ? [explicit(3, seq(...exts))] : []),
  );
  const signature = signDeterministic(hash, tbs, signer);
  return seq(tbs, alg, bitString(signature));
}

// ------------------------------------------------------------------------------ keys

/** HMAC-DRBG (SP 800-90A, SHA-256): a deterministic stream of bytes from a seed. */
export class HmacDrbg {
  private k = Buffer.alloc(32, 0);
  private v = Buffer.alloc(32, 1);
  constructor(seed: Buffer) {
    this.update(seed);
  }
  private update(data?: Buffer): void {
    this.k = createHmac('sha256', this.k).update(Buffer.concat([this.v, Buffer.from([0]), data ?? Buffer.alloc(0)])).digest();
    this.v = createHmac('sha256', this.k).update(this.v).digest();
    if (data?.length) {
      this.k = createHmac('sha256', this.k).update(Buffer.concat([this.v, Buffer.from([1]), data])).digest();
      this.v = createHmac('sha256', this.k).update(this.v).digest();
    }
  }
  generate(n: number): Buffer {
    const out: Buffer[] = [];
    let len = 0;
    while (len < n) {
      this.v = createHmac('sha256', this.k).update(this.v).digest();
      out.push(this.v);
      len += this.v.length;
    }
    this.update();
    return Buffer.concat(out).subarray(0, n);
  }
}

const SMALL_PRIMES = (() => {
  const out: number[] = [];
  for (let n = 3; out.length < 1500; n += 2) if (out.every((p) => p * p > n || n % p !== 0)) out.push(n);
  return out;
})();

function randomPrime(drbg: HmacDrbg, bits: number, e: bigint): bigint {
  for (;;) {
    const bytes = drbg.generate(bits / 8);
    bytes[0]! |= 0xc0; // top two bits: the product has exactly 2*bits bits
    bytes[bytes.length - 1]! |= 1;
    let p = BigInt(`0x${bytes.toString('hex')}`);
    // Walk odd numbers from the candidate until one is prime (bounded, then draw again).
    for (let step = 0; step < 2000; step++, p += 2n) {
      if (SMALL_PRIMES.some((s) => p % BigInt(s) === 0n)) continue;
      if ((p - 1n) % e === 0n) continue;
      if (checkPrimeSync(p, { checks: 64 })) return p;
    }
  }
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

/** A 2048-bit RSA key fully determined by `seed` (PKCS#1 DER and KeyObject). */
export function rsaKeyFromSeed(seed: Buffer, bits = 2048): { key: KeyObject; pkcs1: Buffer } {
  const drbg = new HmacDrbg(seed);
  const e = 65537n;
  let p: bigint;
  let q: bigint;
  do {
    p = randomPrime(drbg, bits / 2, e);
    q = randomPrime(drbg, bits / 2, e);
  } while (p === q);
  if (p < q) [p, q] = [q, p];
  const n = p * q;
  const phi = (p - 1n) * (q - 1n);
  const d = modInverse(e, phi);
  const pkcs1 = seq(derInteger(0), derInteger(n), derInteger(e), derInteger(d), derInteger(p), derInteger(q), derInteger(d % (p - 1n)), derInteger(d % (q - 1n)), derInteger(modInverse(q, p)));
  return { key: createPrivateKey({ key: pkcs1, format: 'der', type: 'pkcs1' }), pkcs1 };
}

// ------------------------------------------------------------------------------ signing

/** Signs `data`: RSA PKCS#1 v1.5 and Ed25519 are deterministic; ECDSA uses RFC 6979 nonces so that certificates repeat. */
function signDeterministic(hash: string | null, data: Buffer, key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'ec') return ecdsaRfc6979(hash!, data, key);
  return sign(hash, data, key);
}

const CURVES: Record<string, { p: bigint; a: bigint; n: bigint; gx: bigint; gy: bigint; bytes: number }> = {
  prime256v1: {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    bytes: 32,
  },
  secp384r1: {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffcn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    bytes: 48,
  },
};

type Point = { x: bigint; y: bigint } | null;

function ecAdd(c: (typeof CURVES)[string], P: Point, Q: Point): Point {
  if (!P) return Q;
  if (!Q) return P;
  const mod = (v: bigint): bigint => ((v % c.p) + c.p) % c.p;
  if (P.x === Q.x && mod(P.y + Q.y) === 0n) return null;
  const l = P.x === Q.x && P.y === Q.y ? mod((3n * P.x * P.x + c.a) * modInverse(mod(2n * P.y), c.p)) : mod((Q.y - P.y) * modInverse(mod(Q.x - P.x), c.p));
  const x = mod(l * l - P.x - Q.x);
  return { x, y: mod(l * (P.x - x) - P.y) };
}

function ecMul(c: (typeof CURVES)[string], k: bigint, P: Point): Point {
  let R: Point = null;
  let A = P;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) R = ecAdd(c, R, A);
    A = ecAdd(c, A, A);
  }
  return R;
}

function bytesToInt(b: Buffer): bigint {
  return b.length ? BigInt(`0x${b.toString('hex')}`) : 0n;
}

function intToBytes(v: bigint, len: number): Buffer {
  return Buffer.from(v.toString(16).padStart(len * 2, '0'), 'hex');
}

function ecdsaRfc6979(hash: string, data: Buffer, key: KeyObject): Buffer {
  const curveName = key.asymmetricKeyDetails?.namedCurve ?? '';
  const c = CURVES[curveName];
  if (!c) return sign(hash, data, key);
  const jwk = key.export({ format: 'jwk' }) as { d?: string };
  const x = bytesToInt(Buffer.from(jwk.d!, 'base64url'));
  const h = createHash(hash).update(data).digest();
  const qlen = c.bytes * 8;
  const bits2int = (b: Buffer): bigint => {
    const v = bytesToInt(b);
    const blen = b.length * 8;
    return blen > qlen ? v >> BigInt(blen - qlen) : v;
  };
  const z = bits2int(h) % c.n;
  let V = Buffer.alloc(h.length, 1);
  let K = Buffer.alloc(h.length, 0);
  const xb = intToBytes(x, c.bytes);
  const hb = intToBytes(z, c.bytes);
  K = createHmac(hash, K).update(Buffer.concat([V, Buffer.from([0]), xb, hb])).digest();
  V = createHmac(hash, K).update(V).digest();
  K = createHmac(hash, K).update(Buffer.concat([V, Buffer.from([1]), xb, hb])).digest();
  V = createHmac(hash, K).update(V).digest();
  for (;;) {
    let T = Buffer.alloc(0);
    while (T.length < c.bytes) {
      V = createHmac(hash, K).update(V).digest();
      T = Buffer.concat([T, V]);
    }
    const k = bits2int(T.subarray(0, c.bytes));
    if (k >= 1n && k < c.n) {
      const R = ecMul(c, k, { x: c.gx, y: c.gy })!;
      const r = R.x % c.n;
      const s = (modInverse(k, c.n) * (z + r * x)) % c.n;
      if (r !== 0n && s !== 0n) return seq(derInteger(r), derInteger(s));
    }
    K = createHmac(hash, K).update(Buffer.concat([V, Buffer.from([0])])).digest();
    V = createHmac(hash, K).update(V).digest();
  }
}

/** The public half of a private key. */
export function publicOf(key: KeyObject): KeyObject {
  return createPublicKey(key);
}

// sprig's crypto functions (crypto.go): hashes, bcrypt/htpasswd, derivePassword, keys and
// certificates (genCA, genSelfSignedCert, genSignedCert, ... returning sprig's
// certificate{Cert, Key}), AES, randBytes, uuidv4.
import {
  type KeyObject,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  scryptSync,
} from 'node:crypto';
import { isIP } from 'node:net';
import type { FuncDef } from '../exec.js';
import { sprintV } from '../fmt.js';
import { GoStruct, type GoValue, type StructType, own } from '../values.js';
import { EXT_KEY_USAGE, KEY_USAGE, createCertificate, derInteger, parseCertificate, pem, pemDecode, readDer, seq } from '../x509.js';
import { bcryptHash } from './bcrypt.js';
import { sha256Hex } from '../../../api/sha256.js';

const S = 'string';
const I = 'int';

export const CERTIFICATE_TYPE: StructType = {
  name: 'sprig.certificate',
  fields: [
    { name: 'Cert', json: 'Cert', omitempty: false, type: 'string' },
    { name: 'Key', json: 'Key', omitempty: false, type: 'string' },
  ],
};

function certificate(cert: string, key: string): GoStruct {
  return new GoStruct(CERTIFICATE_TYPE, [
    ['Cert', cert],
    ['Key', key],
  ]);
}

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(s, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function bcrypt(input: string): string {
  try {
    return bcryptHash(input);
  } catch (e) {
    return `failed to encrypt string with bcrypt: ${(e as Error).message}`;
  }
}

const TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv',
    'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const TEMPLATE_CHARS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

/** The Master Password algorithm sprig implements. */
function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = own(TEMPLATES, type);
  if (!templates) return `cannot find password template ${type}`;
  const seed = Buffer.from('com.lyndir.masterpassword', 'utf8');
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b;
  };
  const userBytes = Buffer.from(user, 'utf8');
  const salt = Buffer.concat([seed, u32(userBytes.length), userBytes]);
  const key = scryptSync(Buffer.from(password, 'utf8'), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 256 * 1024 * 1024 });
  const siteBytes = Buffer.from(site, 'utf8');
  const mac = createHmac('sha256', key).update(Buffer.concat([seed, u32(siteBytes.length), siteBytes, u32(counter)])).digest();
  const tpl = templates[mac[0]! % templates.length]!;
  return [...tpl].map((c, i) => {
    const chars = TEMPLATE_CHARS[c]!;
    return chars[mac[i + 1]! % chars.length];
  }).join('');
}

/** pem block of a private key as sprig's pemBlockForKey writes it. */
function privateKeyPEM(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return key.export({ type: 'pkcs1', format: 'pem' }) as string;
    case 'ec':
      return key.export({ type: 'sec1', format: 'pem' }) as string;
    case 'dsa': {
      const info = readDer(key.export({ type: 'pkcs8', format: 'der' }));
      const params = info.children![1]!.children![1]!.children!;
      const [p, q, g] = params.map((x) => BigInt(`0x${x.body.toString('hex')}`)) as [bigint, bigint, bigint];
      const x = BigInt(`0x${readDer(info.children![2]!.body).body.toString('hex')}`);
      let y = 1n;
      for (let base = g % p, e = x; e > 0n; e >>= 1n, base = (base * base) % p) if (e & 1n) y = (y * base) % p;
      return pem('DSA PRIVATE KEY', seq(derInteger(0), derInteger(p), derInteger(q), derInteger(g), derInteger(y), derInteger(x)));
    }
    default:
      return key.export({ type: 'pkcs8', format: 'pem' }) as string;
  }
}

function generatePrivateKey(typ: string): string {
  try {
    switch (typ) {
      case '':
      case 'rsa':
        return privateKeyPEM(generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey);
      case 'dsa':
        return privateKeyPEM(generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey);
      case 'ecdsa':
        return privateKeyPEM(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
      case 'ed25519':
        return privateKeyPEM(generateKeyPairSync('ed25519').privateKey);
      default:
        return `Unknown type ${typ}`;
    }
  } catch (e) {
    return `failed to generate private key: ${(e as Error).message}`;
  }
}

/** sprig's parsePrivateKeyPEM. */
function parsePrivateKey(text: string): KeyObject {
  const block = pemDecode(text);
  if (!block) throw new Error('no PEM data in input');
  if (block.type === 'PRIVATE KEY') {
    try {
      return createPrivateKey({ key: block.der, format: 'der', type: 'pkcs8' });
    } catch (e) {
      throw new Error(`decoding PEM as PKCS#8: ${(e as Error).message}`);
    }
  }
  if (!block.type.endsWith(' PRIVATE KEY')) throw new Error(`no private key data in PEM block of type ${block.type}`);
  const kind = block.type.slice(0, -12);
  try {
    if (kind === 'RSA') return createPrivateKey({ key: block.der, format: 'der', type: 'pkcs1' });
    if (kind === 'EC') return createPrivateKey({ key: block.der, format: 'der', type: 'sec1' });
  } catch (e) {
    throw new Error(`parsing ${kind} private key from PEM: ${(e as Error).message}`);
  }
  if (kind === 'DSA') throw new Error('x509: only RSA, ECDSA and Ed25519 keys supported');
  throw new Error(`invalid private key type ${block.type}`);
}

function netIPs(ips: GoValue): string[] {
  if (ips === null || !Array.isArray(ips)) return [];
  return ips.map((ip) => {
    if (typeof ip !== 'string') throw new Error(`error parsing ip: ${sprintV(ip)} is not a string`);
    if (!isIP(ip)) throw new Error(`error parsing ip: ${ip}`);
    return ip;
  });
}

function dnsNames(names: GoValue): string[] {
  if (names === null || !Array.isArray(names)) return [];
  return names.map((d) => {
    if (typeof d !== 'string') throw new Error(`error processing alternate dns name: ${sprintV(d)} is not a string`);
    return d;
  });
}

const DAY_MS = 86_400_000;

function makeCert(cn: string, ips: GoValue, dns: GoValue, days: number, key: KeyObject, signer?: { cert: string; key: string }, isCA = false): GoStruct {
  const ipList = netIPs(ips);
  const dnsList = dnsNames(dns);
  const now = new Date();
  const tpl = {
    serial: BigInt(`0x${randomBytes(16).toString('hex')}`),
    commonName: cn,
    ipAddresses: ipList,
    dnsNames: dnsList,
    notBefore: now,
    notAfter: new Date(now.getTime() + days * DAY_MS),
    keyUsage: KEY_USAGE.keyEncipherment | KEY_USAGE.digitalSignature | (isCA ? KEY_USAGE.certSign : 0),
    extKeyUsage: [EXT_KEY_USAGE.serverAuth, EXT_KEY_USAGE.clientAuth],
    basicConstraintsValid: true,
    isCA,
  };
  let issuer: { subject: Buffer; subjectKeyId: Buffer | undefined } | undefined;
  let signingKey = key;
  if (signer) {
    const block = pemDecode(signer.cert);
    if (!block) throw new Error('unable to decode certificate');
    let parsed;
    try {
      parsed = parseCertificate(block.der);
    } catch (e) {
      throw new Error(`error parsing certificate: decodedSignerCert.Bytes: ${(e as Error).message}`);
    }
    try {
      signingKey = parsePrivateKey(signer.key);
    } catch (e) {
      throw new Error(`error parsing private key: ${(e as Error).message}`);
    }
    issuer = { subject: parsed.subject, subjectKeyId: parsed.subjectKeyId };
  }
  let der: Buffer;
  try {
    der = createCertificate(tpl, createPublicKey(key), signingKey, issuer);
  } catch (e) {
    throw new Error(`error creating certificate: ${(e as Error).message}`);
  }
  return certificate(pem('CERTIFICATE', der), privateKeyPEM(key));
}

function rsa2048(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

function withKey(privPEM: string): KeyObject {
  try {
    return parsePrivateKey(privPEM);
  } catch (e) {
    throw new Error(`parsing private key: ${(e as Error).message}`);
  }
}

function certOf(v: GoValue): { cert: string; key: string } {
  const s = v as GoStruct;
  return { cert: s.values.get('Cert') as string, key: s.values.get('Key') as string };
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const key = Buffer.alloc(32);
  Buffer.from(password, 'utf8').copy(key);
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, c.update(plaintext, 'utf8'), c.final()]).toString('base64');
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const key = Buffer.alloc(32);
  Buffer.from(password, 'utf8').copy(key);
  const crypt = Buffer.from(crypt64, 'base64');
  if (crypt.length < 16 || (crypt.length - 16) % 16 !== 0) throw new Error('crypto/cipher: input not full blocks');
  const d = createDecipheriv('aes-256-cbc', key, crypt.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(crypt.subarray(16)), d.final()]);
  return plain.subarray(0, plain.length - plain[plain.length - 1]!).toString('utf8');
}

const L = '[]interface {}';

export const cryptoFuncs: [string, FuncDef][] = [
  ['sha1sum', { params: [S], fn: (s) => createHash('sha1').update(s as string).digest('hex') }],
  ['sha256sum', { params: [S], fn: (s) => sha256Hex(s as string) }],
  ['sha512sum', { params: [S], fn: (s) => createHash('sha512').update(s as string).digest('hex') }],
  ['adler32sum', { params: [S], fn: (s) => String(adler32(s as string)) }],
  ['bcrypt', { params: [S], fn: (s) => bcrypt(s as string) }],
  ['htpasswd', { params: [S, S], fn: (u, p) => ((u as string).includes(':') ? `invalid username: ${u as string}` : `${u as string}:${bcrypt(p as string)}`) }],
  ['randBytes', { params: [I], fn: (n) => {
    if ((n as number) < 0) throw new Error('runtime error: makeslice: len out of range');
    return randomBytes(n as number).toString('base64');
  } }],
  ['uuidv4', { params: [], fn: () => randomUUID() }],
  ['derivePassword', { params: ['uint32', S, S, S, S], fn: (c, t, p, u, s) => derivePassword(c as number, t as string, p as string, u as string, s as string) }],
  ['genPrivateKey', { params: [S], fn: (t) => generatePrivateKey(t as string) }],
  ['buildCustomCert', { params: [S, S], fn: (c, k) => {
    const cert = Buffer.from(c as string, 'base64').toString('utf8');
    const key = Buffer.from(k as string, 'base64').toString('utf8');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(c as string)) throw new Error('unable to decode base64 certificate');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(k as string)) throw new Error('unable to decode base64 private key');
    const block = pemDecode(cert);
    if (!block) throw new Error('unable to decode certificate');
    try {
      parseCertificate(block.der);
    } catch (e) {
      throw new Error(`error parsing certificate: decodedCert.Bytes: ${(e as Error).message}`);
    }
    try {
      parsePrivateKey(key);
    } catch (e) {
      throw new Error(`error parsing private key: ${(e as Error).message}`);
    }
    return certificate(cert, key);
  } }],
  ['genCA', { params: [S, I], fn: (cn, d) => makeCert(cn as string, null, null, d as number, rsa2048(), undefined, true) }],
  ['genCAWithKey', { params: [S, I, S], fn: (cn, d, k) => makeCert(cn as string, null, null, d as number, withKey(k as string), undefined, true) }],
  ['genSelfSignedCert', { params: [S, L, L, I], fn: (cn, ips, dns, d) => makeCert(cn as string, ips, dns, d as number, rsa2048()) }],
  ['genSelfSignedCertWithKey', { params: [S, L, L, I, S], fn: (cn, ips, dns, d, k) => makeCert(cn as string, ips, dns, d as number, withKey(k as string)) }],
  ['genSignedCert', { params: [S, L, L, I, CERTIFICATE_TYPE.name], fn: (cn, ips, dns, d, ca) => makeCert(cn as string, ips, dns, d as number, rsa2048(), certOf(ca)) }],
  ['genSignedCertWithKey', { params: [S, L, L, I, CERTIFICATE_TYPE.name, S], fn: (cn, ips, dns, d, ca, k) => makeCert(cn as string, ips, dns, d as number, withKey(k as string), certOf(ca)) }],
  ['encryptAES', { params: [S, S], fn: (p, t) => encryptAES(p as string, t as string) }],
  ['decryptAES', { params: [S, S], fn: (p, c) => decryptAES(p as string, c as string) }],
];

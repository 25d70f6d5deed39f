// Encryption at rest as the real kube-apiserver does it (k8s.io/apiserver/pkg/storage/value):
// --encryption-provider-config names an EncryptionConfiguration; each resource it lists is
// stored through its providers. The first provider writes; reading tries every provider whose
// prefix the stored value starts with, in order. Storage format, byte for byte:
//   identity:  the object as is (no prefix)
//   aescbc:    k8s:enc:aescbc:v1:<key>:    + IV (16) + AES-CBC ciphertext (PKCS#7 padding)
//   aesgcm:    k8s:enc:aesgcm:v1:<key>:    + nonce (12) + AES-GCM ciphertext + tag (16), the etcd key as additional data
//   secretbox: k8s:enc:secretbox:v1:<key>: + nonce (24) + NaCl secretbox (XSalsa20-Poly1305)
// A value read with any provider but the first is stale: an update writes it again even when
// the object did not change (that is how a rewrite migrates keys). A configuration the real
// server would refuse stops the simulator at start with its error.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import nacl from 'tweetnacl';
import { parse } from 'yaml';

export interface StorageTransformer {
  toStorage(resource: string, data: Buffer, etcdKey: string): Buffer;
  fromStorage(resource: string, data: Buffer, etcdKey: string): { data: Buffer; stale: boolean };
}

interface Provider {
  prefix: Buffer;
  encrypt(data: Buffer, etcdKey: string): Buffer;
  decrypt(data: Buffer, etcdKey: string): Buffer;
}

const ENC = Buffer.from('k8s:enc:');

const identity: Provider = {
  prefix: Buffer.alloc(0),
  encrypt: (data) => data,
  decrypt(data) {
    if (data.subarray(0, ENC.length).equals(ENC)) throw new Error('identity transformer tried to read encrypted data');
    return data;
  },
};

function aescbc(name: string, key: Buffer): Provider {
  const algorithm = `aes-${key.length * 8}-cbc`;
  return {
    prefix: Buffer.from(`k8s:enc:aescbc:v1:${name}:`),
    encrypt(data) {
      const iv = randomBytes(16);
      const c = createCipheriv(algorithm, key, iv);
      return Buffer.concat([iv, c.update(data), c.final()]);
    },
    decrypt(data) {
      if (data.length < 16 || (data.length - 16) % 16 !== 0) throw new Error('the stored data is not a multiple of the block size');
      const d = createDecipheriv(algorithm, key, data.subarray(0, 16));
      return Buffer.concat([d.update(data.subarray(16)), d.final()]);
    },
  };
}

function aesgcm(name: string, key: Buffer): Provider {
  const algorithm = `aes-${key.length * 8}-gcm`;
  return {
    prefix: Buffer.from(`k8s:enc:aesgcm:v1:${name}:`),
    encrypt(data, etcdKey) {
      const nonce = randomBytes(12);
      const c = createCipheriv(algorithm, key, nonce) as import('node:crypto').CipherGCM;
      c.setAAD(Buffer.from(etcdKey));
      const body = Buffer.concat([c.update(data), c.final()]);
      return Buffer.concat([nonce, body, c.getAuthTag()]);
    },
    decrypt(data, etcdKey) {
      if (data.length < 12 + 16) throw new Error('the stored data was shorter than the required size');
      const d = createDecipheriv(algorithm, key, data.subarray(0, 12)) as import('node:crypto').DecipherGCM;
      d.setAAD(Buffer.from(etcdKey));
      d.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([d.update(data.subarray(12, data.length - 16)), d.final()]);
    },
  };
}

function secretbox(name: string, key: Buffer): Provider {
  return {
    prefix: Buffer.from(`k8s:enc:secretbox:v1:${name}:`),
    encrypt(data) {
      const nonce = randomBytes(24);
      return Buffer.concat([nonce, Buffer.from(nacl.secretbox(new Uint8Array(data), new Uint8Array(nonce), new Uint8Array(key)))]);
    },
    decrypt(data) {
      if (data.length < 24) throw new Error('the stored data was shorter than the required size');
      const opened = nacl.secretbox.open(new Uint8Array(data.subarray(24)), new Uint8Array(data.subarray(0, 24)), new Uint8Array(key));
      if (!opened) throw new Error('output array was not large enough for encryption');
      return Buffer.from(opened);
    },
  };
}

export class EncryptionConfigError extends Error {}

type Obj = Record<string, any>;
const SIZES: Record<string, number[]> = { aescbc: [16, 24, 32], aesgcm: [16, 24, 32], secretbox: [32] };

function providersOf(list: unknown, at: string): Provider[] {
  if (!Array.isArray(list) || list.length === 0) throw new EncryptionConfigError(`${at}.providers: Required value: provider list cannot be empty`);
  return list.map((p: Obj, i) => {
    const pat = `${at}.providers[${i}]`;
    const types = Object.keys(p ?? {});
    if (types.length !== 1) throw new EncryptionConfigError(`${pat}: Invalid value: ${JSON.stringify(types)}: more than one provider specified in a single element, should split into different list elements`);
    const type = types[0]!;
    if (type === 'identity') return identity;
    if (type === 'kms') throw new EncryptionConfigError(`${pat}.kms: KMS providers are not simulated (no KMS plugin socket)`);
    const make = { aescbc, aesgcm, secretbox }[type as 'aescbc'];
    if (!make) throw new EncryptionConfigError(`${pat}: unknown provider ${type}`);
    const keys = p[type]?.keys;
    if (!Array.isArray(keys) || keys.length === 0) throw new EncryptionConfigError(`${pat}.${type}.keys: Required value: keys list cannot be empty`);
    // Each key is a provider of its own; the first key of the first provider writes.
    return keys.map((k: Obj, n: number) => {
      const kat = `${pat}.${type}.keys[${n}]`;
      if (typeof k?.name !== 'string' || !k.name) throw new EncryptionConfigError(`${kat}.name: Required value: key name is required`);
      if (k.name.includes(':')) throw new EncryptionConfigError(`${kat}.name: Invalid value: "${k.name}": should not contain ":"`);
      const secret = Buffer.from(String(k.secret ?? ''), 'base64');
      if (typeof k.secret !== 'string' || !k.secret) throw new EncryptionConfigError(`${kat}.secret: Required value: secret is required`);
      if (!SIZES[type]!.includes(secret.length)) {
        throw new EncryptionConfigError(`${kat}.secret: Invalid value: "REDACTED": secret is not of the expected length, got ${secret.length}, expected one of ${JSON.stringify(SIZES[type])}`);
      }
      return make(k.name, secret);
    });
  }).flat();
}

class PrefixTransformers implements StorageTransformer {
  constructor(private readonly byResource: Map<string, Provider[]>) {}

  private providers(resource: string): Provider[] {
    const group = resource.includes('.') ? resource.slice(resource.indexOf('.') + 1) : '';
    return this.byResource.get(resource) ?? this.byResource.get(group ? `*.${group}` : '*.') ?? this.byResource.get('*.*') ?? [identity];
  }

  toStorage(resource: string, data: Buffer, etcdKey: string): Buffer {
    const first = this.providers(resource)[0]!;
    return Buffer.concat([first.prefix, first.encrypt(data, etcdKey)]);
  }

  fromStorage(resource: string, data: Buffer, etcdKey: string): { data: Buffer; stale: boolean } {
    const list = this.providers(resource);
    for (const [i, p] of list.entries()) {
      if (!data.subarray(0, p.prefix.length).equals(p.prefix)) continue;
      try {
        return { data: p.decrypt(data.subarray(p.prefix.length), etcdKey), stale: i !== 0 };
      } catch (err) {
        // Identity matches everything: encrypted data falls through to the next provider.
        if (p.prefix.length === 0) continue;
        throw new Error(`unable to transform key "${etcdKey}": ${(err as Error).message}`);
      }
    }
    throw new Error(`unable to transform key "${etcdKey}": no matching prefix found`);
  }
}

/** Reads --encryption-provider-config as the real server does at start; throws what it would refuse. */
export function loadEncryptionConfig(path: string): StorageTransformer {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new EncryptionConfigError(`error while parsing file: error reading encryption provider configuration file "${path}": ${(err as Error).message}`);
  }
  let doc: Obj;
  try {
    doc = parse(text) as Obj;
  } catch (err) {
    throw new EncryptionConfigError(`error while parsing file: error decoding encryption provider configuration file "${path}": ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc?.kind !== 'EncryptionConfiguration' || !['apiserver.config.k8s.io/v1', 'apiserver.k8s.io/v1'].includes(doc?.apiVersion)) {
    throw new EncryptionConfigError(`error while parsing file: could not decode encryption provider configuration file "${path}": no kind "${doc?.kind}" is registered for version "${doc?.apiVersion}"`);
  }
  if (!Array.isArray(doc.resources) || doc.resources.length === 0) throw new EncryptionConfigError('resources: Required value: resource list cannot be empty');
  const byResource = new Map<string, Provider[]>();
  doc.resources.forEach((r: Obj, i: number) => {
    const at = `resources[${i}]`;
    const names = r?.resources;
    if (!Array.isArray(names) || names.length === 0) throw new EncryptionConfigError(`${at}.resources: Required value: resources cannot be empty`);
    const providers = providersOf(r.providers, at);
    for (const n of names) {
      if (byResource.has(String(n))) throw new EncryptionConfigError(`${at}.resources: Duplicate value: "${n}"`);
      byResource.set(String(n), providers);
    }
  });
  return new PrefixTransformers(byResource);
}

/** No configuration: everything in clear. */
export const IDENTITY_STORAGE: StorageTransformer = {
  toStorage: (_r, data) => data,
  fromStorage: (_r, data, key) => ({ data: identity.decrypt(data, key), stale: false }),
};

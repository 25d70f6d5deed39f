// Bound service account tokens: JWTs signed with --service-account-signing-key-file
// (TokenRequest, serviceaccounts/<name>/token) and verified with the public keys of
// --service-account-key-file (or the signing key). Claims follow the real issuer.
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string } };
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

function algorithmOf(key: KeyObject): 'RS256' | 'ES256' {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') return 'ES256';
  throw new Error(`unsupported service account key type ${key.asymmetricKeyType}`);
}

function keyId(pub: KeyObject): string {
  return b64url(createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest());
}

/** Public keys from a PEM file that may hold public keys, certificates or private keys. */
function publicKeysFrom(file: string): KeyObject[] {
  const pem = fs.readFileSync(file, 'utf8');
  const blocks = pem.match(/-----BEGIN [^-]+-----[\s\S]+?-----END [^-]+-----/g) ?? [];
  return blocks.map((block) => (block.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(block)) : createPublicKey(block)));
}

export class ServiceAccountTokens {
  private readonly signingKey?: KeyObject;
  private readonly publicKeys: KeyObject[] = [];

  constructor(
    readonly issuer: string,
    signingKeyFile?: string,
    keyFiles: string[] = [],
  ) {
    if (signingKeyFile) {
      this.signingKey = createPrivateKey(fs.readFileSync(signingKeyFile));
      this.publicKeys.push(createPublicKey(this.signingKey));
    }
    for (const f of keyFiles) this.publicKeys.push(...publicKeysFrom(f));
  }

  get canIssue(): boolean {
    return this.signingKey !== undefined;
  }

  issue(sa: ServiceAccountRef, audiences: string[], expirationSeconds: number, now: Date): { token: string; expires: Date } {
    if (!this.signingKey) throw new Error('no --service-account-signing-key-file');
    const iat = Math.floor(now.getTime() / 1000);
    const claims: TokenClaims = {
      iss: this.issuer,
      sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
      aud: audiences,
      exp: iat + expirationSeconds,
      iat,
      nbf: iat,
      jti: randomUUID(),
      'kubernetes.io': { namespace: sa.namespace, serviceaccount: { name: sa.name, uid: sa.uid } },
    };
    const alg = algorithmOf(this.signingKey);
    const header = { alg, kid: keyId(createPublicKey(this.signingKey)) };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key: this.signingKey, dsaEncoding: 'ieee-p1363' });
    return { token: `${input}.${b64url(signature)}`, expires: new Date(claims.exp * 1000) };
  }

  /** Verified claims of a token issued by this cluster, or undefined. */
  verify(token: string, audiences: string[], now: Date): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    let header: { alg?: string };
    let claims: TokenClaims;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const input = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2]!, 'base64url');
    const ok = this.publicKeys.some((key) => {
      try {
        return algorithmOf(key) === header.alg && verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature);
      } catch {
        return false;
      }
    });
    if (!ok || claims.iss !== this.issuer) return undefined;
    const t = Math.floor(now.getTime() / 1000);
    if (claims.exp <= t || claims.nbf > t + 60) return undefined;
    if (!claims.aud?.some((a) => audiences.includes(a))) return undefined;
    if (!claims['kubernetes.io']?.serviceaccount?.name) return undefined;
    return claims;
  }
}

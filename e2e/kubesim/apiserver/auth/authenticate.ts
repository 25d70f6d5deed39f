// Authentication: client certificates (CN = user, O = groups) verified against the
// client CA, bootstrap tokens (kube-system/bootstrap-token-<id> Secrets), static
// tokens (--token-auth-file). No credentials -> system:anonymous (anonymous auth on,
// as kubeadm leaves it); credentials that do not verify -> 401.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import * as fs from 'node:fs';
import { errors } from '../http/status.js';
import type { ServiceAccountTokens } from './service-account-tokens.js';

export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

export interface TokenSecretLookup {
  /** The kube-system/bootstrap-token-<id> Secret, or undefined. */
  (tokenId: string): Promise<Record<string, any> | undefined>;
}

const BOOTSTRAP_TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

export interface ServiceAccountAuth {
  tokens: ServiceAccountTokens;
  audiences: string[];
  /** The ServiceAccount object (service-account-lookup), or undefined if it is gone. */
  lookup(namespace: string, name: string): Promise<Record<string, any> | undefined>;
}

export class Authenticator {
  private readonly staticTokens = new Map<string, UserInfo>();

  constructor(
    private readonly lookupBootstrapSecret: TokenSecretLookup,
    private readonly opts: { bootstrapTokens: boolean; tokenAuthFile?: string; anonymous: boolean; serviceAccounts?: ServiceAccountAuth },
  ) {
    if (opts.tokenAuthFile) this.loadTokenFile(opts.tokenAuthFile);
  }

  private loadTokenFile(file: string): void {
    // token,user,uid[,"group1,group2"]
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const m = /^\s*([^,#\s]+)\s*,\s*([^,]+)\s*,\s*([^,]*?)\s*(?:,\s*"?([^"]*)"?)?\s*$/.exec(line);
      if (!m) continue;
      const groups = (m[4] ?? '').split(',').map((g) => g.trim()).filter(Boolean);
      this.staticTokens.set(m[1]!, { name: m[2]!, uid: m[3] || undefined, groups: [...groups, 'system:authenticated'] });
    }
  }

  async authenticate(req: IncomingMessage): Promise<UserInfo> {
    const socket = req.socket as TLSSocket;
    const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    const hasCert = cert !== undefined && cert !== null && Object.keys(cert).length > 0;
    if (hasCert) {
      if (!socket.authorized) throw errors.unauthorized();
      const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
      const toList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
      const cn = toList(subject.CN)[0];
      if (!cn) throw errors.unauthorized();
      return { name: cn, groups: [...toList(subject.O), 'system:authenticated'] };
    }
    const authz = req.headers.authorization;
    if (authz) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
      if (!m) throw errors.unauthorized();
      const user = await this.fromToken(m[1]!);
      if (!user) throw errors.unauthorized();
      return user;
    }
    if (!this.opts.anonymous) throw errors.unauthorized();
    return ANONYMOUS;
  }

  private async fromToken(token: string): Promise<UserInfo | undefined> {
    const stat = this.staticTokens.get(token);
    if (stat) return stat;
    if (token.split('.').length === 3 && this.opts.serviceAccounts) return this.fromServiceAccountToken(token, this.opts.serviceAccounts);
    const m = BOOTSTRAP_TOKEN.exec(token);
    if (!m || !this.opts.bootstrapTokens) return undefined;
    const [, id, secret] = m as unknown as [string, string, string];
    const s = await this.lookupBootstrapSecret(id);
    if (!s || s.type !== 'bootstrap.kubernetes.io/token') return undefined;
    const data = (s.data ?? {}) as Record<string, string>;
    const field = (k: string): string | undefined => (data[k] !== undefined ? Buffer.from(data[k]!, 'base64').toString('utf8') : s.stringData?.[k]);
    if (field('token-id') !== id || field('token-secret') !== secret) return undefined;
    if (field('usage-bootstrap-authentication') !== 'true') return undefined;
    const expiration = field('expiration');
    if (expiration && Date.parse(expiration) <= Date.now()) return undefined;
    if (s.metadata?.deletionTimestamp) return undefined;
    const extra = (field('auth-extra-groups') ?? '').split(',').map((g) => g.trim()).filter((g) => g.startsWith('system:bootstrappers:'));
    return { name: `system:bootstrap:${id}`, groups: ['system:bootstrappers', ...extra, 'system:authenticated'] };
  }

  private async fromServiceAccountToken(token: string, sa: ServiceAccountAuth): Promise<UserInfo | undefined> {
    const claims = sa.tokens.verify(token, sa.audiences, new Date());
    if (!claims) return undefined;
    const { namespace, serviceaccount } = claims['kubernetes.io'];
    const live = await sa.lookup(namespace, serviceaccount.name);
    if (!live || live.metadata?.uid !== serviceaccount.uid) return undefined;
    return {
      name: `system:serviceaccount:${namespace}:${serviceaccount.name}`,
      uid: serviceaccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    };
  }
}

/**
 * Authorization: every authenticated user may do everything (RBAC objects are stored
 * but not evaluated). Anonymous users get what the default bootstrap policy and kubeadm
 * give them: health/version endpoints and the kube-public/cluster-info ConfigMap.
 */
export function anonymousAllowed(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(path) || path === '/version' || path === '/version/') return true;
  return path === '/api/v1/namespaces/kube-public/configmaps/cluster-info';
}

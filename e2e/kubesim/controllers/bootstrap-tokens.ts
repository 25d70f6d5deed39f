// bootstrapsigner and tokencleaner: sign kube-public/cluster-info with every
// signing bootstrap token (detached HS256 JWS, verified by "kubeadm join"
// discovery), and delete expired bootstrap token Secrets.
import * as crypto from 'node:crypto';
import type { KubeClient, KubeObject } from '../common/kube-client.js';

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** Compact JWS with detached payload: header..signature */
export function detachedJws(payload: string, tokenId: string, tokenSecret: string): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', kid: tokenId }));
  const sig = crypto.createHmac('sha256', tokenSecret).update(`${header}.${b64url(payload)}`).digest();
  return `${header}..${b64url(sig)}`;
}

export function verifyDetachedJws(jws: string, payload: string, tokenId: string, tokenSecret: string): boolean {
  const expected = detachedJws(payload, tokenId, tokenSecret);
  return expected.length === jws.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(jws));
}

const decode = (v: string | undefined): string => (v ? Buffer.from(v, 'base64').toString('utf8') : '');

function tokenSecrets(secrets: KubeObject[]): Array<{ id: string; secret: string; signing: boolean; expiration?: string; name: string }> {
  return secrets
    .filter((s) => s.type === 'bootstrap.kubernetes.io/token')
    .map((s) => ({
      name: s.metadata.name as string,
      id: decode(s.data?.['token-id']),
      secret: decode(s.data?.['token-secret']),
      signing: decode(s.data?.['usage-bootstrap-signing']) === 'true',
      expiration: s.data?.expiration ? decode(s.data.expiration) : undefined,
    }));
}

export async function cleanAndSign(client: KubeClient, log: (l: string) => void): Promise<void> {
  const secrets = (await client.list('/api/v1/namespaces/kube-system/secrets')).items ?? [];
  const now = Date.now();
  const live = [];
  for (const t of tokenSecrets(secrets)) {
    if (t.expiration && Date.parse(t.expiration) < now) {
      await client.delete(`/api/v1/namespaces/kube-system/secrets/${t.name}`);
      log(`deleted expired bootstrap token ${t.id}`);
      continue;
    }
    live.push(t);
  }
  const cm = await client.get('/api/v1/namespaces/kube-public/configmaps/cluster-info');
  if (!cm) return;
  const kubeconfig: string = cm.data?.kubeconfig ?? '';
  const data: Record<string, string> = { ...(cm.data ?? {}) };
  let changed = false;
  const wanted = new Set<string>();
  for (const t of live.filter((t) => t.signing && t.id && t.secret)) {
    const key = `jws-kubeconfig-${t.id}`;
    wanted.add(key);
    const sig = detachedJws(kubeconfig, t.id, t.secret);
    if (data[key] !== sig) {
      data[key] = sig;
      changed = true;
    }
  }
  for (const key of Object.keys(data)) {
    if (key.startsWith('jws-kubeconfig-') && !wanted.has(key)) {
      delete data[key];
      changed = true;
    }
  }
  if (changed) await client.update('/api/v1/namespaces/kube-public/configmaps/cluster-info', { ...cm, data });
}

// kubeadm token create | list | delete | generate, against the cluster of
// --kubeconfig (default /etc/kubernetes/admin.conf).
import { KubeClient } from '../../common/kube-client.js';
import { loadKubeconfig } from '../../common/kubeconfig.js';
import { parseDuration, formatDuration } from '../../common/duration.js';
import { checkTokenFormat, DEFAULT_TOKEN_GROUP, randomToken } from '../config/defaults.js';
import { KubeadmError, out } from '../output.js';
import { p } from '../paths.js';
import { caCertHash } from '../phases/certs.js';
import { createBootstrapTokens } from '../phases/cluster-objects.js';

const decode = (v?: string): string => (v ? Buffer.from(v, 'base64').toString('utf8') : '');

export async function tokenCreate(opts: { token?: string; ttl: string; description?: string; usages: string[]; groups: string[]; printJoinCommand: boolean; kubeconfig: string }): Promise<void> {
  const token = opts.token ?? randomToken();
  checkTokenFormat(token);
  const cfg = loadKubeconfig(p(opts.kubeconfig));
  const client = new KubeClient(cfg, 'kubeadm');
  try {
    const ttlMs = parseDuration(opts.ttl);
    await createBootstrapTokens(client, [{ token, description: opts.description, ttlMs: ttlMs > 0 ? ttlMs : undefined, usages: opts.usages, groups: opts.groups }]);
    if (!opts.printJoinCommand) {
      out(token);
      return;
    }
    const hash = caCertHash(cfg.ca?.toString('utf8') ?? '');
    out(`kubeadm join ${cfg.server.replace(/^https:\/\//, '')} --token ${token} --discovery-token-ca-cert-hash ${hash} `);
  } finally {
    client.close();
  }
}

export async function tokenList(kubeconfig: string): Promise<void> {
  const client = new KubeClient(loadKubeconfig(p(kubeconfig)), 'kubeadm');
  try {
    const secrets = (await client.list('/api/v1/namespaces/kube-system/secrets?fieldSelector=type%3Dbootstrap.kubernetes.io%2Ftoken')).items ?? [];
    const rows = [['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS']];
    for (const s of secrets) {
      if (s.type !== 'bootstrap.kubernetes.io/token') continue;
      const d = s.data ?? {};
      const exp = decode(d.expiration);
      const ttl = exp ? formatDuration(Math.max(0, Date.parse(exp) - Date.now())).replace(/\d+s$/, '').replace(/m$/, 'm') : '<forever>';
      const usages = Object.keys(d).filter((k) => k.startsWith('usage-bootstrap-') && decode(d[k]) === 'true').map((k) => k.slice('usage-bootstrap-'.length));
      rows.push([`${decode(d['token-id'])}.${decode(d['token-secret'])}`, ttl || '0s', exp || '<never>', usages.join(','), decode(d.description) || '<none>', decode(d['auth-extra-groups'])]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)) + 3);
    for (const r of rows) out(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join(''));
  } finally {
    client.close();
  }
}

export async function tokenDelete(ids: string[], kubeconfig: string): Promise<void> {
  if (!ids.length) throw new KubeadmError('missing argument; \'token delete\' is missing token of form "[a-z0-9]{6}" or "[a-z0-9]{6}\\.[a-z0-9]{16}"');
  const client = new KubeClient(loadKubeconfig(p(kubeconfig)), 'kubeadm');
  try {
    for (const id of ids) {
      const tokenId = id.split('.')[0]!;
      if (!(await client.delete(`/api/v1/namespaces/kube-system/secrets/bootstrap-token-${tokenId}`))) {
        throw new KubeadmError(`failed to delete bootstrap token "${tokenId}": secrets "bootstrap-token-${tokenId}" not found`);
      }
      out(`bootstrap token "${tokenId}" deleted`);
    }
  } finally {
    client.close();
  }
}

export { DEFAULT_TOKEN_GROUP };

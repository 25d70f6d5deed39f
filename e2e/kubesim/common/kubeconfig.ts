// kubeconfig files as kubeadm writes them, and reading the parts a client needs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';

export interface KubeconfigSpec {
  clusterName: string;
  server: string;
  caPem: string;
  user: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  /** Paths instead of embedded data (kubelet.conf after kubelet-finalize). */
  clientCertFile?: string;
  clientKeyFile?: string;
  token?: string;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

export function renderKubeconfig(s: KubeconfigSpec): string {
  const user: Record<string, string> = {};
  if (s.clientCertPem) user['client-certificate-data'] = b64(s.clientCertPem);
  if (s.clientKeyPem) user['client-key-data'] = b64(s.clientKeyPem);
  if (s.clientCertFile) user['client-certificate'] = s.clientCertFile;
  if (s.clientKeyFile) user['client-key'] = s.clientKeyFile;
  if (s.token) user.token = s.token;
  const context = `${s.user}@${s.clusterName}`;
  return stringify({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64(s.caPem), server: s.server }, name: s.clusterName }],
    contexts: [{ context: { cluster: s.clusterName, user: s.user }, name: context }],
    'current-context': context,
    kind: 'Config',
    preferences: {},
    users: [{ name: s.user, user }],
  });
}

export function writeKubeconfig(file: string, s: KubeconfigSpec): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderKubeconfig(s), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

export interface ClientConfig {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecure?: boolean;
}

type Named<T> = { name: string } & T;

/** Resolve the current context of a kubeconfig into connection material. */
export function loadKubeconfig(file: string): ClientConfig {
  const doc = parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const base = path.dirname(file);
  const contexts = (doc.contexts as Array<Named<{ context: { cluster: string; user: string } }>>) ?? [];
  const ctx = contexts.find((c) => c.name === doc['current-context']) ?? contexts[0];
  if (!ctx) throw new Error(`${file}: no context`);
  const cluster = ((doc.clusters as Array<Named<{ cluster: Record<string, unknown> }>>) ?? []).find((c) => c.name === ctx.context.cluster)?.cluster;
  const user = ((doc.users as Array<Named<{ user: Record<string, string> }>>) ?? []).find((u) => u.name === ctx.context.user)?.user ?? {};
  if (!cluster) throw new Error(`${file}: cluster ${ctx.context.cluster} not found`);
  const fileOrData = (data: unknown, f: unknown): Buffer | undefined => {
    if (typeof data === 'string') return Buffer.from(data, 'base64');
    if (typeof f === 'string') return fs.readFileSync(path.resolve(base, f));
    return undefined;
  };
  return {
    server: String(cluster.server),
    ca: fileOrData(cluster['certificate-authority-data'], cluster['certificate-authority']),
    cert: fileOrData(user['client-certificate-data'], user['client-certificate']),
    key: fileOrData(user['client-key-data'], user['client-key']),
    token: user.token,
    insecure: cluster['insecure-skip-tls-verify'] === true,
  };
}

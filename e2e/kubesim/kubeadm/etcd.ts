// etcd membership through etcd's v3 JSON gateway with kubeadm's etcd client
// certificate: list, add (join --control-plane) and remove (reset) members.
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import type { KubeClient } from '../common/kube-client.js';

export interface EtcdMember {
  ID: string;
  name?: string;
  peerURLs?: string[];
  clientURLs?: string[];
  isLearner?: boolean;
}

export class EtcdClient {
  private readonly agent: https.Agent;

  constructor(
    readonly endpoints: string[],
    certificatesDir: string,
  ) {
    const read = (f: string): Buffer => fs.readFileSync(path.join(certificatesDir, f));
    this.agent = new https.Agent({ ca: read('etcd/ca.crt'), cert: read('apiserver-etcd-client.crt'), key: read('apiserver-etcd-client.key') });
  }

  private post(endpoint: string, api: string, body: unknown): Promise<any> {
    const data = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(`/v3/${api}`, endpoint), { method: 'POST', agent: this.agent, timeout: 5000, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let parsed: any;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = { error: text };
          }
          if (res.statusCode !== 200) reject(new Error(`etcd ${api} at ${endpoint}: ${parsed.error ?? parsed.message ?? res.statusCode}`));
          else resolve(parsed);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`etcd ${api} at ${endpoint}: context deadline exceeded`)));
      req.on('error', reject);
      req.write(data);
      req.end();
    });
  }

  /** Try every endpoint in turn (like the etcd client's balancer). */
  private async call(api: string, body: unknown): Promise<any> {
    let last: unknown;
    for (const ep of this.endpoints) {
      try {
        return await this.post(ep, api, body);
      } catch (err) {
        last = err;
      }
    }
    throw last ?? new Error('no etcd endpoints');
  }

  async memberList(): Promise<EtcdMember[]> {
    return (await this.call('cluster/member/list', {})).members ?? [];
  }

  async memberAdd(peerURL: string): Promise<{ member: EtcdMember; members: EtcdMember[] }> {
    const r = await this.call('cluster/member/add', { peerURLs: [peerURL] });
    return { member: r.member, members: r.members ?? [] };
  }

  async memberRemove(id: string): Promise<void> {
    await this.call('cluster/member/remove', { ID: id });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Client URLs of the etcd members, from the etcd mirror pods' kubeadm annotation. */
export async function etcdEndpointsFromCluster(client: KubeClient): Promise<string[]> {
  const pods = await client.list('/api/v1/namespaces/kube-system/pods?labelSelector=component%3Detcd,tier%3Dcontrol-plane');
  const urls = (pods.items ?? []).map((p: any) => p.metadata?.annotations?.['kubeadm.kubernetes.io/etcd.advertise-client-urls']).filter(Boolean);
  if (!urls.length) throw new Error('could not retrieve the list of etcd endpoints: etcd Pods with label selector "component=etcd,tier=control-plane" were not found');
  return urls;
}

/** "name=peerURL,..." for --initial-cluster; the new (unnamed) member gets newName. */
export function initialCluster(members: EtcdMember[], newName: string, newPeerURL: string): string {
  const parts: string[] = [];
  for (const m of members) {
    for (const url of m.peerURLs ?? []) {
      const name = m.name || (url === newPeerURL ? newName : '');
      if (name) parts.push(`${name}=${url}`);
    }
  }
  if (!parts.some((p) => p.endsWith(`=${newPeerURL}`))) parts.push(`${newName}=${newPeerURL}`);
  return parts.join(',');
}

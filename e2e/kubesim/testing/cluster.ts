// Driving kubeadm on sandbox hosts for the e2e tests: write configs, copy the
// shared PKI to joining control planes, run init/join, read cluster state.
import type { Fleet, FleetHost } from '../../fleet/index.js';
import { initConfig, joinConfig } from './kubeadm-configs.js';
import { sh, shResult } from './install.js';

const SHARED_PKI = ['ca.crt', 'ca.key', 'sa.key', 'sa.pub', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'etcd/ca.crt', 'etcd/ca.key'];

export async function writeFile(fleet: Fleet, host: string, file: string, content: string): Promise<void> {
  await sh(fleet, host, `mkdir -p "$(dirname ${file})" && echo ${Buffer.from(content).toString('base64')} | base64 -d > ${file}`);
}

export async function kubeadmInit(fleet: Fleet, h: FleetHost, version: string): Promise<string> {
  await writeFile(fleet, h.name, '/root/kubeadm.yaml', initConfig(h, version));
  return sh(fleet, h.name, 'kubeadm init --config /root/kubeadm.yaml 2>&1');
}

export async function copySharedPki(fleet: Fleet, from: string, to: string): Promise<void> {
  for (const f of SHARED_PKI) {
    const content = await sh(fleet, from, `cat /etc/kubernetes/pki/${f}`);
    await writeFile(fleet, to, `/etc/kubernetes/pki/${f}`, content);
  }
}

export async function kubeadmJoin(fleet: Fleet, h: FleetHost, endpoint: string, controlPlane: boolean, version: string, leader?: string): Promise<string> {
  if (controlPlane && leader) await copySharedPki(fleet, leader, h.name);
  await writeFile(fleet, h.name, '/root/kubeadm.yaml', joinConfig(h, endpoint, controlPlane, version));
  return sh(fleet, h.name, 'kubeadm join --config /root/kubeadm.yaml 2>&1');
}

export async function kubectlJson(fleet: Fleet, host: string, args: string): Promise<any> {
  return JSON.parse(await sh(fleet, host, `KUBECONFIG=/etc/kubernetes/admin.conf kubectl ${args} -o json`));
}

export async function etcdMembers(fleet: Fleet, host: string): Promise<string[]> {
  const out = await sh(
    fleet,
    host,
    'ETCDCTL_API=3 etcdctl --endpoints https://127.0.0.1:2379 --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key member list',
  );
  return out.trim().split('\n').filter(Boolean);
}

export function readyNodes(nodes: any): string[] {
  return (nodes.items ?? []).filter((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).map((n: any) => n.metadata.name);
}

/** Poll until fn returns a value or the time is up (the fleet is slow to settle after restarts). */
export async function eventually<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export { shResult };

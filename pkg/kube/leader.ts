// Kubernetes clients for the executor, addons and the probe: admin.conf is read over SSH
// from a control-plane host (kept in memory) and the API is reached through that host.
import {
  CoreV1Api,
  KubernetesObjectApi,
} from '@kubernetes/client-node';

import type { LoadedCluster, ResolvedHost } from '../api/types.js';
import { APISERVER_BIND_PORT } from '../kubeadm/network.js';
import type { SshPool } from '../ssh/pool.js';
import { createTunnelledKubeConfig, type TunnelledKubeConfig } from './tunnel-client.js';

export const ADMIN_CONF = '/etc/kubernetes/admin.conf';
/** The port a control plane's own apiserver binds (kubeadm's bindPort; apiEndpoint.port may be a load balancer's). */
export const DEFAULT_APISERVER_PORT = APISERVER_BIND_PORT;

export interface KubeClient {
  kubeConfig: TunnelledKubeConfig;
  core: CoreV1Api;
  objects: KubernetesObjectApi;
  /** The host the API is reached through. */
  host: string;
  close(): void;
}

/**
 * The control planes in the order commands that need only one try them (etcd, kubeconfig
 * generate, proxy): the one marked isLeader (defaulting marks the first), then the others in
 * manifest order.
 */
export function controlPlanesLeaderFirst(loaded: LoadedCluster): ResolvedHost[] {
  const cps = loaded.hosts.filter((h) => h.role === 'controlPlane');
  return [...cps.filter((h) => h.config.isLeader), ...cps.filter((h) => !h.config.isLeader)];
}

/** The address a control plane's own apiserver serves on (kubeadm's advertise address). */
export function apiserverAddress(host: ResolvedHost): string {
  return host.config.privateAddress || host.config.publicAddress || '127.0.0.1';
}

export async function kubeClientFromLeader(pool: Pick<SshPool, 'get'>, leader: ResolvedHost, apiPort = DEFAULT_APISERVER_PORT): Promise<KubeClient> {
  const transport = await pool.get(leader);
  const adminConf = (await transport.readFile(ADMIN_CONF)).toString('utf8');
  const kubeConfig = createTunnelledKubeConfig(transport, adminConf, apiserverAddress(leader), apiPort);
  return {
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    objects: KubernetesObjectApi.makeApiClient(kubeConfig),
    host: leader.name,
    close: () => kubeConfig.close(),
  };
}

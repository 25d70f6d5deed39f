// The apiserver and etcd health of each control plane, as KubeOne's dashboard shows them:
// each control plane is asked through its own SSH connection, its apiserver for /healthz (with
// admin.conf read from it) and its etcd member for /health (with the etcd client certificate
// read from it; kept in memory only). A control plane that does not answer within the time
// limit, or cannot be reached over SSH, shows as unknown rather than holding the page.
import type { LoadedCluster, ResolvedHost } from '../api/types.js';
import { EtcdGateway, ETCD_CLIENT_FILES, ETCD_CLIENT_PORT } from '../etcd/gateway.js';
import { kubeClientFromLeader, type KubeClient } from '../kube/leader.js';
import { advertiseAddressOf, nodeIPv4Of } from '../kubeadm/network.js';
import type { SshPool } from '../ssh/pool.js';
import type { ControlPlaneHealth } from './model.js';

const CHECK_TIMEOUT_MS = 5_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([promise.catch(() => null), late]).finally(() => clearTimeout(timer));
}

interface HostClients {
  kube?: KubeClient;
  etcd?: EtcdGateway;
}

export interface HealthChecker {
  check(): Promise<ControlPlaneHealth[]>;
  close(): void;
}

export function controlPlaneHealth(loaded: LoadedCluster, pool: Pick<SshPool, 'get'>, timeoutMs = CHECK_TIMEOUT_MS): HealthChecker {
  const clients = new Map<string, HostClients>();
  const cps = loaded.hosts.filter((h) => h.role === 'controlPlane');

  async function apiserver(host: ResolvedHost, c: HostClients): Promise<boolean> {
    c.kube ??= await kubeClientFromLeader(pool, host);
    try {
      const res = await c.kube.kubeConfig.getRaw('/healthz', timeoutMs);
      return res.status === 200 && res.body.trim() === 'ok';
    } catch {
      // The host answered over SSH but its apiserver did not: unhealthy. A new tunnel next
      // time (the SSH connection may have been replaced).
      c.kube.close();
      c.kube = undefined;
      return false;
    }
  }

  async function etcd(host: ResolvedHost, c: HostClients): Promise<boolean> {
    if (!c.etcd) {
      const t = await pool.get(host);
      const [ca, cert, key] = await Promise.all([t.readFile(ETCD_CLIENT_FILES.ca), t.readFile(ETCD_CLIENT_FILES.cert), t.readFile(ETCD_CLIENT_FILES.key)]);
      const address = advertiseAddressOf(loaded.cluster, host) || nodeIPv4Of(host);
      const endpoint = `https://${address.includes(':') ? `[${address}]` : address}:${ETCD_CLIENT_PORT}`;
      c.etcd = new EtcdGateway((h, p) => t.forwardOut(h, p), { ca, cert, key }, endpoint, timeoutMs);
    }
    const healthy = await c.etcd.health();
    if (!healthy) {
      c.etcd.close();
      c.etcd = undefined;
    }
    return healthy;
  }

  async function checkAll(): Promise<ControlPlaneHealth[]> {
    return Promise.all(
      cps.map(async (host) => {
        let c = clients.get(host.name);
        if (!c) clients.set(host.name, (c = {}));
        const [api, db] = await Promise.all([within(apiserver(host, c), timeoutMs), within(etcd(host, c), timeoutMs)]);
        return {
          names: [host.name, host.config.hostname ?? ''].filter(Boolean),
          addresses: [host.config.privateAddress, host.config.publicAddress].filter((a): a is string => Boolean(a)),
          apiserver: api,
          etcd: db,
        };
      }),
    );
  }

  // One check at a time: pages loaded meanwhile share its answer (and its clients are never built twice).
  let inFlight: Promise<ControlPlaneHealth[]> | undefined;
  return {
    check() {
      inFlight ??= checkAll().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    close() {
      for (const c of clients.values()) {
        c.kube?.close();
        c.etcd?.close();
      }
      clients.clear();
    },
  };
}

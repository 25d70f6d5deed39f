// Which control plane `kubeone etcd ...` talks through: the leader when the manifest marks
// one, else the control planes in manifest order; the first that answers over SSH, holds the
// etcd client certificates and whose etcd answers is used (KubeOne uses the leader's too).
import type { LoadedCluster, ResolvedHost } from '../api/types.js';
import { controlPlanesLeaderFirst } from '../kube/leader.js';
import { advertiseAddressOf, nodeIPv4Of } from '../kubeadm/network.js';
import type { TransportPool } from '../pipeline/collaborators.js';
import { ETCD_CLIENT_FILES, ETCD_CLIENT_PORT, EtcdError, EtcdGateway } from './gateway.js';

export interface EtcdConnection {
  gateway: EtcdGateway;
  /** The control plane whose SSH connection carries the traffic. */
  host: ResolvedHost;
}

export async function connectEtcd(loaded: LoadedCluster, pool: TransportPool): Promise<EtcdConnection> {
  const failures: string[] = [];
  for (const host of controlPlanesLeaderFirst(loaded)) {
    try {
      const t = await pool.get(host);
      const [ca, cert, key] = await Promise.all([t.readFile(ETCD_CLIENT_FILES.ca), t.readFile(ETCD_CLIENT_FILES.cert), t.readFile(ETCD_CLIENT_FILES.key)]);
      // etcd serves its clients on the advertise address (IPv6 when IPv6 is the primary family).
      const address = advertiseAddressOf(loaded.cluster, host) || nodeIPv4Of(host);
      const endpoint = `https://${address.includes(':') ? `[${address}]` : address}:${ETCD_CLIENT_PORT}`;
      const gateway = new EtcdGateway((h, p) => t.forwardOut(h, p), { ca, cert, key }, endpoint);
      // Its etcd must answer: a control plane whose member is down is passed over.
      try {
        await gateway.memberList();
      } catch (error) {
        gateway.close();
        throw error;
      }
      return { gateway, host };
    } catch (error) {
      const message = (error as Error).message;
      failures.push(message.startsWith(host.name) ? message : `${host.name}: ${message}`);
    }
  }
  throw new EtcdError(`no control plane gave access to etcd (is the cluster installed?):\n  ${failures.join('\n  ')}`);
}

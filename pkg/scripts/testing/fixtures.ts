// A small, fully specified LoadedCluster used by renderer and executor tests.
import type { KubeOneCluster, LoadedCluster, ResolvedHost } from '../../api/types.js';

export function fixtureCluster(overrides: Partial<KubeOneCluster> = {}): LoadedCluster {
  const cluster: KubeOneCluster = {
    apiVersion: 'kubeone.k8c.io/v1beta2',
    kind: 'KubeOneCluster',
    name: 'demo',
    versions: { kubernetes: '1.35.1' },
    apiEndpoint: { host: '10.0.0.11', port: 6443, alternativeNames: [] },
    clusterNetwork: { podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12', serviceDomainName: 'cluster.local' },
    containerRuntime: { containerd: {} },
    ...overrides,
  };
  const hosts: ResolvedHost[] = [
    { id: 0, role: 'controlPlane', name: 'cp-1', config: { publicAddress: '127.0.0.1', privateAddress: '10.0.0.11', sshPort: 2201, hostname: 'cp-1' } },
    { id: 1, role: 'controlPlane', name: 'cp-2', config: { publicAddress: '127.0.0.1', privateAddress: '10.0.0.12', sshPort: 2202, hostname: 'cp-2' } },
    { id: 2, role: 'staticWorker', name: 'worker-1', config: { publicAddress: '127.0.0.1', privateAddress: '10.0.0.21', sshPort: 2203, hostname: 'worker-1' } },
  ];
  return { manifestPath: '/tmp/demo/kubeone.yaml', baseDir: '/tmp/demo', cluster, hosts, credentials: {}, warnings: [] };
}

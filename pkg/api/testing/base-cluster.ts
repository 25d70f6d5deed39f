import type { KubeOneCluster } from '../../api/types.js';

/** A small valid manifest (provider none, 1 CP + 1 static worker) that tests mutate. */
export function baseCluster(): KubeOneCluster {
  return {
    apiVersion: 'kubeone.k8c.io/v1beta2',
    kind: 'KubeOneCluster',
    name: 'test-cluster',
    versions: { kubernetes: '1.35.1' },
    cloudProvider: { none: {} },
    controlPlane: { hosts: [{ publicAddress: '192.0.2.10', privateAddress: '10.0.0.10', sshPrivateKeyFile: '/k/id' }] },
    staticWorkers: { hosts: [{ publicAddress: '192.0.2.20', privateAddress: '10.0.0.20', sshPrivateKeyFile: '/k/id' }] },
  };
}

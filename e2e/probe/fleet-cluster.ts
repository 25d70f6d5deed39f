// A LoadedCluster for a sandbox fleet, built from its fleet.json the way the manifest
// loader would resolve kubeone.yaml (hostname as host name, manifest order for ids).
// Kept here so the probe e2e tests do not depend on the CLI's loader.
import path from 'node:path';

import type { HostConfig, LoadedCluster, ResolvedHost } from '../../pkg/api/types.js';
import type { Fleet } from '../fleet/index.js';

export function fleetCluster(fleet: Fleet, overrides: Record<string, Partial<HostConfig>> = {}): LoadedCluster {
  const state = fleet.snapshot;
  const bastion = state.hosts.find((h) => h.role === 'bastion');
  const members = state.hosts.filter((h) => h.role !== 'bastion');
  const hosts: ResolvedHost[] = members.map((h, id) => {
    const base: HostConfig = {
      privateAddress: h.privateAddress,
      hostname: h.hostname,
      sshUsername: h.user,
      sshPrivateKeyFile: h.keyPath,
      sshAgentSocket: '',
      ...(bastion
        ? { publicAddress: h.privateAddress, bastion: bastion.sshAddress, bastionPort: bastion.sshPort, bastionUser: bastion.user }
        : { publicAddress: h.sshAddress, sshPort: h.sshPort }),
    };
    return { id, role: h.role === 'control-plane' ? 'controlPlane' : 'staticWorker', name: h.hostname, config: { ...base, ...overrides[h.name] } };
  });
  return {
    manifestPath: state.manifestPath,
    baseDir: path.dirname(state.manifestPath),
    cluster: {
      apiVersion: 'kubeone.k8c.io/v1beta2',
      kind: 'KubeOneCluster',
      name: state.name,
      versions: { kubernetes: state.kubernetesVersion },
      controlPlane: { hosts: hosts.filter((h) => h.role === 'controlPlane').map((h) => h.config) },
      staticWorkers: { hosts: hosts.filter((h) => h.role === 'staticWorker').map((h) => h.config) },
    },
    hosts,
    credentials: {},
    warnings: [],
  };
}

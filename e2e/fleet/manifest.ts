// Renders the KubeOneCluster v1beta2 manifest that points the product at a fleet.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { stringify } from 'yaml';

import type { FleetHost, FleetState } from './types.js';

/** Root of this repository (e2e/fleet/ is two levels below it). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where `npm run build:kubesim` puts the simulator's node-binaries bundles. */
export const KUBESIM_BUNDLE_TEMPLATE = path.join(REPO_ROOT, 'e2e', 'kubesim', 'dist', 'kubernetes-node-linux-{arch}-v{version}.tar.gz');

function hostEntry(host: FleetHost, bastion: FleetHost | undefined): Record<string, unknown> {
  const common = {
    privateAddress: host.privateAddress,
    hostname: host.hostname,
    sshUsername: host.user,
    sshPrivateKeyFile: host.keyPath,
  };
  if (bastion) {
    return {
      publicAddress: host.privateAddress,
      ...common,
      bastion: bastion.sshAddress,
      bastionPort: bastion.sshPort,
      bastionUser: bastion.user,
    };
  }
  return { publicAddress: host.sshAddress, ...common, sshPort: host.sshPort };
}

export function renderManifest(state: FleetState): string {
  const bastion = state.hosts.find((h) => h.role === 'bastion');
  const controlPlanes = state.hosts.filter((h) => h.role === 'control-plane');
  const workers = state.hosts.filter((h) => h.role === 'worker');
  const manifest: Record<string, unknown> = {
    apiVersion: 'kubeone.k8c.io/v1beta2',
    kind: 'KubeOneCluster',
    name: state.name,
    versions: { kubernetes: state.kubernetesVersion },
    cloudProvider: { none: {} },
    controlPlane: { hosts: controlPlanes.map((h) => hostEntry(h, bastion)) },
    staticWorkers: { hosts: workers.map((h) => hostEntry(h, bastion)) },
    apiEndpoint: { host: controlPlanes[0]?.privateAddress, port: 6443 },
    // The sandbox reaches Debian's mirror only (not Docker's repository): containerd comes from
    // the hosts' own repositories.
    systemPackages: { configureRepositories: false },
    // The simulator bundles built by `npm run build:kubesim`; 1.35.1 is the step of a 1.34 -> 1.36 upgrade.
    kubernetesBinaries: { bundle: { path: KUBESIM_BUNDLE_TEMPLATE }, intermediateVersions: { '1.35': '1.35.1' } },
  };
  const header = `# Sandbox fleet "${state.name}", written by e2e/fleet (fleet.json beside this file).\n`;
  return header + stringify(manifest);
}

// Builders of the desired side for tests: a DesiredState as loadCluster + the renderers would
// produce it, and small rendered addons.
import type { HostConfig, LoadedCluster, ResolvedHost } from '../../api/types.js';
import { canonicalJson } from '../../api/canonical-json.js';
import type { DesiredState, RenderedAddon } from '../types.js';
import { sha256, standardFiles } from './files.js';

export interface DesiredOptions {
  name?: string;
  version: string;
  controlPlanes: string[];
  workers?: string[];
  /** host -> config additions (labels, taints, isLeader...). */
  hostConfig?: Record<string, HostConfig>;
  files?: Record<string, Record<string, string>>;
  clusterConfiguration?: Record<string, unknown>;
  addons?: RenderedAddon[] | null;
}

export function clusterConfiguration(apiServerArgs: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'ClusterConfiguration',
    apiServer: { extraArgs: Object.entries(apiServerArgs).map(([name, value]) => ({ name, value })) },
    controllerManager: { extraArgs: [] },
    scheduler: { extraArgs: [] },
  };
}

export function desiredState(opts: DesiredOptions): DesiredState {
  const hosts: ResolvedHost[] = [
    ...opts.controlPlanes.map((name) => ({ role: 'controlPlane' as const, name })),
    ...(opts.workers ?? []).map((name) => ({ role: 'staticWorker' as const, name })),
  ].map((h, id) => ({ id, role: h.role, name: h.name, config: { hostname: h.name, ...(opts.hostConfig?.[h.name] ?? {}) } }));
  const loaded: LoadedCluster = {
    manifestPath: '/work/cluster.yaml',
    baseDir: '/work',
    cluster: {
      apiVersion: 'kubeone.k8c.io/v1beta2',
      kind: 'KubeOneCluster',
      name: opts.name ?? 'demo',
      versions: { kubernetes: opts.version },
      controlPlane: { hosts: hosts.filter((h) => h.role === 'controlPlane').map((h) => h.config) },
      staticWorkers: { hosts: hosts.filter((h) => h.role === 'staticWorker').map((h) => h.config) },
    },
    hosts,
    credentials: {},
    warnings: [],
  };
  const managedFiles: Record<string, Record<string, string>> = {};
  for (const h of hosts) managedFiles[h.name] = opts.files?.[h.name] ?? standardFiles(h.name);
  return {
    cluster: loaded,
    manifestHash: sha256(canonicalJson(loaded.cluster)),
    managedFiles,
    clusterConfiguration: opts.clusterConfiguration ?? clusterConfiguration(),
    addons: opts.addons === undefined ? [] : opts.addons,
  };
}

/** A small rendered addon whose object hashes derive from `variant`. */
export function addon(name: string, objects: { kind: string; name: string; namespace?: string; variant?: string }[]): RenderedAddon {
  return {
    name,
    source: 'embedded',
    objects: objects.map((o) => {
      const object = {
        apiVersion: o.kind === 'Deployment' ? 'apps/v1' : 'v1',
        kind: o.kind,
        metadata: { name: o.name, namespace: o.namespace ?? 'kube-system', labels: { 'kubeone.io/addon': name } },
        data: { variant: o.variant ?? 'v1' },
      };
      return {
        apiVersion: object.apiVersion,
        kind: o.kind,
        namespace: o.namespace ?? 'kube-system',
        name: o.name,
        hash: sha256(canonicalJson(object)),
        object,
      };
    }),
  };
}

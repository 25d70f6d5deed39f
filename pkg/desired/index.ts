// computeDesired: the desired side the planner compares the snapshot with. Renders at the
// edge (pure functions, no I/O) and hashes the exact bytes the executor would write.
import { manifestHash } from '../api/manifest-hash.js';
import { withNodeNames } from '../api/node-names.js';
import { sha256Hex } from '../api/sha256.js';
import type { LoadedCluster } from '../api/types.js';
import type { DesiredHelmRelease } from '../helm/types.js';
import { addonDeletions } from '../addons/selection.js';
import { desiredEncryption } from '../encryption/desired.js';
import { renderClusterConfiguration } from '../kubeadm/cluster-configuration.js';
import { withUnownedLiveSettings } from '../ownership/control-plane.js';
import type { DesiredState, RenderedAddon } from '../plan/types.js';
import { containerdMajorOf } from '../scripts/containerd-config.js';
import type { OsFamily } from '../scripts/os-family.js';
import type { ClusterFacts, HostFacts } from '../snapshot/types.js';
import { managedFilesFor } from './host-files.js';

export interface DesiredOptions {
  /** OS family per host from the probe (changes bundle paths on Flatcar); default debian layout. */
  osFamilies?: Record<string, OsFamily>;
  /**
   * The snapshot's host facts: the node names the probe recorded (hosts without `hostname` in the
   * manifest are named after their machines) and the installed containerd (its config format).
   */
  facts?: readonly HostFacts[];
  /**
   * The cluster as probed: its kubeadm-config and ownership record decide which live
   * control-plane flags the uploaded configuration keeps (pkg/ownership).
   */
  live?: Pick<ClusterFacts, 'clusterConfiguration' | 'ownership'> | null;
  /** The manifest's Helm releases (pkg/helm desiredHelmReleases, charts resolved); absent: not evaluated. */
  helmReleases?: DesiredHelmRelease[];
}

/**
 * The cluster as the rest of the run sees it: every host's `config.hostname` is its Node name,
 * detected on the machine when the manifest gives none. Throws a ConfigError when two hosts
 * would register the same Node.
 */
export function namedCluster(loaded: LoadedCluster, facts: readonly HostFacts[] = []): LoadedCluster {
  const names: Record<string, string | undefined> = {};
  for (const f of facts) if (!f.former && f.nodeName) names[f.name] = f.nodeName;
  return withNodeNames(loaded, names);
}

export function computeDesired(loaded: LoadedCluster, addons: RenderedAddon[] | null, opts: DesiredOptions = {}): DesiredState {
  const named = namedCluster(loaded, opts.facts);
  const factsByName = new Map((opts.facts ?? []).map((f) => [f.name, f]));
  const managedFiles: Record<string, Record<string, string>> = {};
  for (const host of named.hosts) {
    const files: Record<string, string> = {};
    const facts = factsByName.get(host.name);
    const env = { family: opts.osFamilies?.[host.name], containerdMajor: containerdMajorOf(facts?.containerd?.version || undefined), systemdResolved: facts?.systemdResolved === true };
    for (const file of managedFilesFor(named, host, env)) files[file.path] = sha256Hex(file.content);
    managedFiles[host.name] = files;
  }
  const merged = withUnownedLiveSettings(renderClusterConfiguration(named.cluster, named.hosts), opts.live?.clusterConfiguration, opts.live?.ownership, named.cluster);
  return {
    cluster: named,
    manifestHash: manifestHash(loaded.cluster),
    managedFiles,
    clusterConfiguration: merged.clusterConfiguration,
    keptSettings: merged.kept,
    addonDeletions: addonDeletions(named.cluster),
    addons,
    encryption: desiredEncryption(named.cluster),
    ...(opts.helmReleases ? { helmReleases: opts.helmReleases } : {}),
  };
}

export { managedFilesFor, containerdFilesFor, kubeletFilesFor, kubeletUnitFilesFor, groupFilesFor, type HostFileEnv } from './host-files.js';
export { fileGroupOf, inGroup, type FileGroup } from './file-groups.js';

// computeDesired: the desired side the planner compares the snapshot with. Renders at the
// edge (pure functions, no I/O) and hashes the exact bytes the executor would write.
import type { LoadedCluster } from '../api/types.js';
import { renderClusterConfiguration } from '../kubeadm/cluster-configuration.js';
import type { DesiredState, RenderedAddon } from '../plan/types.js';
import type { OsFamily } from '../scripts/os-family.js';
import { fallbackManifestHash, sha256Hex } from './canonical-hash.js';
import { managedFilesFor } from './host-files.js';

export interface DesiredOptions {
  /** OS family per host from the probe (changes bundle paths on Flatcar); default debian layout. */
  osFamilies?: Record<string, OsFamily>;
  /** pkg/api's manifestHash; the local canonical-JSON fallback is used until it is wired. */
  manifestHash?: (loaded: LoadedCluster) => string;
}

export function computeDesired(loaded: LoadedCluster, addons: RenderedAddon[] | null, opts: DesiredOptions = {}): DesiredState {
  const managedFiles: Record<string, Record<string, string>> = {};
  for (const host of loaded.hosts) {
    const files: Record<string, string> = {};
    for (const file of managedFilesFor(loaded, host, opts.osFamilies?.[host.name])) files[file.path] = sha256Hex(file.content);
    managedFiles[host.name] = files;
  }
  return {
    cluster: loaded,
    manifestHash: opts.manifestHash ? opts.manifestHash(loaded) : fallbackManifestHash(loaded.cluster),
    managedFiles,
    clusterConfiguration: renderClusterConfiguration(loaded.cluster, loaded.hosts),
    addons,
  };
}

export { managedFilesFor, containerdFilesFor, kubeletFilesFor, kubeletUnitFilesFor, groupFilesFor } from './host-files.js';
export { fileGroupOf, inGroup, type FileGroup } from './file-groups.js';
export { canonicalJson, sha256Hex } from './canonical-hash.js';

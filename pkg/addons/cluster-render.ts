// Rendering addons for a live run (plan, apply, probe): one render per manifest per run,
// the cluster CA read from the leader only when an addon's templates use `.Certificates`,
// and the cluster's existence as seen at the start of the run (KubeOne decides
// SnapshotterWebhookFailurePolicy from it: Ignore on the first install, Fail afterwards).
import type { LoadedCluster } from '../api/types.js';
import type { RenderedAddon } from '../plan/types.js';
import { readClusterCA } from './certificates.js';
import { needsClusterCA, renderAddons, renderWithClusterCA, type RenderAddonsOptions } from './render.js';

/** Read access to the leader's files (sudo): where the cluster CA is. */
export interface LeaderFiles {
  readFile(path: string): Promise<Buffer>;
}

export interface ClusterRenderOptions {
  /** Whether the cluster exists (an initialized control plane answered). */
  clusterExists: boolean;
  /** The leader, when the cluster exists and is reachable. */
  leader?: LeaderFiles;
}

export interface ClusterRenderer {
  render(loaded: LoadedCluster, opts: ClusterRenderOptions): Promise<RenderedAddon[]>;
}

/** A renderer that keeps one result per LoadedCluster (the instances the planner and the applier share). */
export function clusterRenderer(base: Omit<RenderAddonsOptions, 'loaded' | 'clusterCA' | 'clusterExists'> = {}): ClusterRenderer {
  const cache = new WeakMap<LoadedCluster, { addons: RenderedAddon[]; clusterExists: boolean }>();
  return {
    async render(loaded, opts) {
      let entry = cache.get(loaded);
      if (!entry) {
        entry = { addons: renderAddons({ ...base, loaded, clusterExists: opts.clusterExists }), clusterExists: opts.clusterExists };
        cache.set(loaded, entry);
      }
      if (opts.leader && entry.addons.some(needsClusterCA)) {
        const ca = await readClusterCA(opts.leader);
        entry.addons = renderAddons({ ...base, loaded, clusterExists: entry.clusterExists, clusterCA: ca });
      }
      return entry.addons;
    },
  };
}

/** The addon as it is to be applied: rendered again with the cluster CA when its certificates waited for the cluster. */
export async function completeAddon(addon: RenderedAddon, leader: LeaderFiles | undefined): Promise<RenderedAddon> {
  if (!needsClusterCA(addon)) return addon;
  if (!leader) throw new Error(`addon ${addon.name} needs the cluster CA, and no leader is known to read it from`);
  return renderWithClusterCA(addon, await readClusterCA(leader));
}

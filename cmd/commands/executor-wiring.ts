// Wires the executor flows to the other packages. The modules are imported by name at run
// time so this branch builds before they are merged; once they are, the lead can turn these
// into static imports. Each missing export is a clear error, not a crash.
import type { LoadedCluster } from '../../pkg/api/types.js';
import type { Collaborators, TransportPool } from '../../pkg/executor/collaborators.js';
import type { DesiredState, Plan, PlanOptions, RenderedAddon } from '../../pkg/plan/types.js';
import type { Snapshot } from '../../pkg/snapshot/types.js';
import type { HostTransport } from '../../pkg/ssh/types.js';

type AnyFn = (...args: never[]) => unknown;

async function exported<T extends AnyFn>(relative: string, name: string): Promise<T> {
  const url = new URL(relative, import.meta.url).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load ${relative}: ${(error as Error).message}`, { cause: error });
  }
  const value = mod[name];
  if (typeof value !== 'function') throw new Error(`${relative} does not export ${name}()`);
  return value as T;
}

export async function realCollaborators(): Promise<Collaborators> {
  const loadCluster = await exported<(opts: { manifestPath: string; credentialsPath?: string }) => Promise<LoadedCluster>>(
    '../../pkg/api/index.js',
    'loadCluster',
  );
  const createSshPool = await exported<(o: Record<string, unknown>) => TransportPool>('../../pkg/ssh/pool.js', 'createSshPool');
  const clusterKnownHostsPath = await exported<(dir: string, name: string) => string>('../../pkg/ssh/pool.js', 'clusterKnownHostsPath');
  const probe = await exported<(o: { loaded: LoadedCluster; pool: TransportPool }) => Promise<Snapshot>>('../../pkg/probe/index.js', 'probe');
  const computePlan = await exported<(d: DesiredState, s: Snapshot, o: PlanOptions) => Plan>('../../pkg/plan/index.js', 'computePlan');
  const createTunnelledKubeConfig = await exported<(t: HostTransport, a: string, h: string, p: number) => unknown>(
    '../../pkg/kube/index.js',
    'createTunnelledKubeConfig',
  );
  const optional = async <T extends AnyFn>(rel: string, name: string): Promise<T | undefined> => exported<T>(rel, name).catch(() => undefined);
  const manifestHash = await optional<(c: LoadedCluster['cluster']) => string>('../../pkg/api/index.js', 'manifestHash');
  const renderAddons = await optional<(o: { loaded: LoadedCluster }) => RenderedAddon[]>('../../pkg/addons/render.js', 'renderAddons');
  const applyAddonObjects = await optional<(kc: unknown, a: RenderedAddon) => Promise<void>>('../../pkg/addons/apply.js', 'applyAddonObjects');
  const pruneAddonObjects = await optional<(kc: unknown, o: unknown[]) => Promise<void>>('../../pkg/addons/apply.js', 'pruneAddonObjects');
  return {
    loadCluster: (manifestPath, credentialsPath) => loadCluster({ manifestPath, ...(credentialsPath ? { credentialsPath } : {}) }),
    createPool: (loaded) =>
      createSshPool({ baseDir: loaded.baseDir, knownHostsPath: clusterKnownHostsPath(loaded.baseDir, loaded.cluster.name ?? 'default') }),
    probe: (loaded, pool) => probe({ loaded, pool }),
    // The same RenderedAddon instances go to the planner and to addon.apply (pkg/addons keeps
    // Secret data beside them in memory only).
    renderAddons: async (loaded) => (renderAddons ? renderAddons({ loaded }) : null),
    ...(manifestHash ? { manifestHash: (loaded: LoadedCluster) => manifestHash(loaded.cluster) } : {}),
    computePlan,
    createTunnelledKubeConfig: async (t, a, h, p) => createTunnelledKubeConfig(t, a, h, p),
    addons: {
      apply: async (kc, addon) => {
        if (!applyAddonObjects) throw new Error('addon.apply: pkg/addons/apply.js is not available');
        await applyAddonObjects(kc, addon);
      },
      prune: async (kc, objects) => {
        if (!pruneAddonObjects) throw new Error('addon.prune: pkg/addons/apply.js is not available');
        await pruneAddonObjects(kc, objects);
      },
    },
  };
}

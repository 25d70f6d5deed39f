// probe(): the actual state of every host (one SSH round trip each, in parallel) and of the
// cluster (Kubernetes API through an SSH tunnel), as one redacted, hashable snapshot.
import { formerHostsOf } from '../api/former-host.js';
import { needsFqdn, nodeNameFor } from '../api/node-names.js';
import type { LoadedCluster, ResolvedHost } from '../api/types.js';
import { buildSnapshot } from '../snapshot/snapshot.js';
import type { ClusterFacts, Snapshot, SnapshotState } from '../snapshot/types.js';
import { type Logger, silentLogger } from '../ssh/logger.js';
import type { SshPool } from '../ssh/pool.js';
import { type AddonObjectLister, attemptLeader, clusterInitialized, type HelmReleaseLister, type LeaderAttempt, probeCluster } from './cluster-probe.js';
import { probeHost } from './host-probe.js';
import { renderHostScript } from './host-script.js';

export const TOOL_NAME = 'kubeone-ts';

export interface ProbeOptions {
  loaded: LoadedCluster;
  pool: Pick<SshPool, 'get'>;
  /** Files whose sha256 go into HostFacts.managedFiles (globs allowed); default DEFAULT_MANAGED_PATHS. */
  managedPaths?: string[];
  /** Port the control planes' apiservers listen on. Default 6443. */
  apiserverPort?: number;
  logger?: Logger;
  /**
   * How live addon objects are listed and hashed. Default: pkg/addons' lister, projecting each
   * live object onto the addons rendered from `loaded`, so hashes match the planner's. Callers
   * that already rendered the addons pass a lister over those instances.
   */
  listAddonObjects?: AddonObjectLister;
  /** How Helm releases are read. Default: pkg/helm's lister, values views kept for the manifest's releases only. */
  listHelmReleases?: HelmReleaseLister;
  /** Tool name and version for meta.tool. */
  tool?: string;
}

export async function probe(options: ProbeOptions): Promise<Snapshot> {
  const logger = options.logger ?? silentLogger;
  const started = Date.now();
  // Two variants at most: hosts the manifest names skip `hostname -f`.
  const scripts = new Map<boolean, string>();
  const scriptFor = (host: ResolvedHost): string => {
    const detectFqdn = needsFqdn(host, options.loaded.cluster);
    let script = scripts.get(detectFqdn);
    if (script === undefined) scripts.set(detectFqdn, (script = renderHostScript({ managedPaths: options.managedPaths, apiserverPort: options.apiserverPort, detectFqdn })));
    return script;
  };
  // The leader probeCluster tries first is the first control plane, if it serves: its tunnel opens
  // (and the Kubernetes client, ~0.5 s of CPU, is imported) as soon as its own probe says so,
  // while the other hosts are still being probed.
  const firstControlPlane = options.loaded.hosts.find((h) => h.role === 'controlPlane');
  let early: { host: ResolvedHost; attempt: Promise<LeaderAttempt> } | undefined;
  // Once every host has its command, this process only waits: the logger loads meanwhile.
  let unsent = options.loaded.hosts.length;
  const sent = (): void => {
    if (--unsent === 0) setImmediate(() => logger.prepare?.());
  };
  const hosts = await Promise.all(
    options.loaded.hosts.map(async (host) => {
      const result = await probeHost(host, options.pool, scriptFor(host), options.managedPaths, logger, sent);
      if (host === firstControlPlane && result.facts.adminConf === true && result.extras?.apiserverHealthy) {
        early = { host, attempt: attemptLeader(options.pool, host, options.apiserverPort) };
        early.attempt.catch(() => undefined); // Reported where it is awaited (probeCluster).
      }
      return result;
    }),
  );
  let kube: ClusterFacts | null = null;
  try {
    for (const h of hosts) {
      if (!h.facts.reachable) continue;
      const nodeName = nodeNameFor(h.host, h.facts, options.loaded.cluster);
      if (nodeName !== '') h.facts.nodeName = nodeName;
    }
    kube = clusterInitialized(hosts)
      ? await probeCluster({
          hosts,
          pool: options.pool,
          apiserverPort: options.apiserverPort,
          logger,
          listAddonObjects: options.listAddonObjects ?? renderingLister(options.loaded),
          listHelmReleases: options.listHelmReleases ?? helmLister(options.loaded),
          early,
        })
      : null;
  } catch (error) {
    // probeCluster takes the early attempt over (it is its first candidate); anything failing before leaves it open.
    early?.attempt.then((a) => a.client.close(), () => undefined);
    throw error;
  }
  // Hosts taken out of the manifest whose Nodes remain: probed so the plan can reset them.
  const former = await Promise.all(
    formerHostsOf(options.loaded.hosts, kube?.nodes ?? []).map((host) => probeHost(host, options.pool, scriptFor(host), options.managedPaths, logger)),
  );
  const state: SnapshotState = {
    cluster: options.loaded.cluster.name ?? '',
    hosts: [...hosts.map((h) => h.facts), ...former.map((h) => ({ ...h.facts, former: true }))].sort((a, b) => a.id - b.id),
    kube,
  };
  return buildSnapshot(state, { tool: options.tool ?? TOOL_NAME, probedAt: new Date(started).toISOString(), durationMs: Date.now() - started });
}

/** Loaded only when there is a cluster: the addon packages pull in @kubernetes/client-node. */
function renderingLister(loaded: LoadedCluster): AddonObjectLister {
  return async (kubeConfig, leader) => {
    const [{ listAddonObjects }, { clusterRenderer }] = await Promise.all([import('../addons/apply.js'), import('../addons/cluster-render.js')]);
    return listAddonObjects(kubeConfig, await clusterRenderer().render(loaded, { clusterExists: true, leader }));
  };
}

/** The manifest's releases keep their values view (redacted with the manifest's secrets); others keep only the hash. */
function helmLister(loaded: LoadedCluster): HelmReleaseLister {
  return async (core) => {
    const [{ listHelmReleases }, { desiredHelmReleases }, { collectSecrets }] = await Promise.all([
      import('../helm/release-storage.js'),
      import('../helm/desired.js'),
      import('../api/redact.js'),
    ]);
    // Reading the desired releases registers the secrets of their values files too, so both
    // sides of a values diff are masked alike.
    const desired = await desiredHelmReleases(loaded);
    const showValuesOf = new Set(desired.map((r) => `${r.namespace}/${r.name}`));
    return listHelmReleases(core, { mask: collectSecrets(loaded), showValuesOf });
  };
}

export { DEFAULT_MANAGED_PATHS, renderHostScript } from './host-script.js';
export { parseHostOutput } from './host-facts.js';
export type { AddonObjectLister, HelmReleaseLister } from './cluster-probe.js';

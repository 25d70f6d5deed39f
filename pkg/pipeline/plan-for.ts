// probe result -> desired state -> plan: the one way plan, apply and reset compute a plan.
// The edge work happens here (render addons, read the journal, take the time); the planner
// itself stays pure and gets everything as input, the journal's repair facts included.
import type { LoadedCluster } from '../api/types.js';
import { computeDesired } from '../desired/index.js';
import { desiredHelmReleases } from '../helm/desired.js';
import { resolveCharts } from '../helm/resolve.js';
import { journalPath, readJournal } from '../journal/journal.js';
import { interruptedActions, nodesLeftCordoned } from '../journal/resume.js';
import { helmReleasesInFlight } from '../helm/interrupted.js';
import { cordonEffectOf } from '../ops/registry.js';
import type { DesiredState, InterruptedRuns, Plan, PlanOptions } from '../plan/types.js';
import { type OsFamily, osFamily } from '../scripts/os-family.js';
import type { Snapshot } from '../snapshot/types.js';
import type { Collaborators } from './collaborators.js';

export interface PlanRequest {
  /** kubeone reset: plan the removal of everything. */
  reset?: boolean;
  removeBinaries?: boolean;
  /** reset: delete LoadBalancer Services / volumes first (KubeOne's defaults: true). */
  removeLbServices?: boolean;
  removeVolumes?: boolean;
  /** reset: delete machine-controller's MachineDeployments and wait for their Machines first (KubeOne's default: true). */
  destroyWorkers?: boolean;
  planOptions?: Partial<PlanOptions>;
}

function osFamilies(loaded: LoadedCluster, snapshot: Snapshot): Record<string, OsFamily> {
  const out: Record<string, OsFamily> = {};
  for (const h of loaded.hosts) {
    const id = h.config.operatingSystem || snapshot.state.hosts.find((f) => f.name === h.name)?.os?.id;
    if (!id) continue;
    try {
      out[h.name] = osFamily(h.name, id);
    } catch {
      // unsupported OS: the planner/executor reports it where it matters
    }
  }
  return out;
}

/** What the local journal says earlier runs left behind. */
export function interruptedRuns(loaded: LoadedCluster): InterruptedRuns {
  const records = readJournal(journalPath(loaded.baseDir, loaded.cluster.name ?? 'default'));
  return { nodesLeftCordoned: nodesLeftCordoned(records, cordonEffectOf), helmReleases: helmReleasesInFlight(interruptedActions(records)) };
}

export async function planFor(c: Collaborators, loaded: LoadedCluster, snapshot: Snapshot, req: PlanRequest = {}): Promise<{ desired: DesiredState; plan: Plan }> {
  const addons = req.reset ? [] : await c.renderAddons(loaded, snapshot);
  // Reset uninstalls nothing one by one: the cluster goes as a whole.
  const helmReleases = req.reset ? undefined : await desiredHelmReleases(loaded);
  if (helmReleases && c.helm) await resolveCharts(helmReleases, c.helm);
  const desired = computeDesired(loaded, addons, {
    osFamilies: osFamilies(loaded, snapshot),
    facts: snapshot.state.hosts,
    live: snapshot.state.kube,
    ...(helmReleases ? { helmReleases } : {}),
  });
  const options: PlanOptions = {
    now: new Date().toISOString(),
    interrupted: interruptedRuns(loaded),
    ...(req.reset ? { reset: true, removeBinaries: Boolean(req.removeBinaries), removeLbServices: req.removeLbServices !== false, removeVolumes: req.removeVolumes !== false, destroyWorkers: req.destroyWorkers !== false } : {}),
    ...req.planOptions,
  };
  return { desired, plan: c.computePlan(desired, snapshot, options) };
}

// Uncordon repairs for Nodes an interrupted run left cordoned and that the fresh plan will
// not uncordon itself.
import type { LoadedCluster } from '../api/types.js';
import { journalPath, readJournal, type JournalRecord } from '../journal/journal.js';
import { nodesLeftCordoned } from '../journal/resume.js';
import { cordonEffectOf, nodeOfStep } from '../ops/registry.js';
import type { Action, Plan } from '../plan/types.js';
import type { Snapshot } from '../snapshot/types.js';

/** `isCordoned` is the live check (Node.spec.unschedulable from the snapshot). */
export function uncordonRepairs(
  records: JournalRecord[],
  plan: Action[],
  isCordoned: (node: string) => boolean,
  hostOfNode: (node: string) => string | undefined,
): Action[] {
  const planned = new Set(plan.flatMap((a) => a.steps.filter((s) => s.op === 'node.uncordon').map((s) => nodeOfStep(s))));
  return nodesLeftCordoned(records, cordonEffectOf)
    .filter((node) => !planned.has(node) && isCordoned(node))
    .map((node) => {
      const host = hostOfNode(node);
      return {
        id: `uncordon-repair:${node}`,
        kind: 'sync-node-metadata' as const,
        change: '~' as const,
        hosts: host ? [host] : [],
        title: `uncordon node ${node}`,
        reason: `an interrupted run cordoned ${node} and did not uncordon it`,
        dependsOn: [],
        disruptive: false,
        serial: false,
        steps: [{ id: 'node.uncordon', op: 'node.uncordon' as const, ...(host ? { host } : {}), description: `uncordon node ${node}`, params: { node } }],
      };
    });
}

/** The plan's actions plus uncordon repairs for nodes an interrupted run left cordoned. */
export function actionsWithRepairs(plan: Plan, loaded: LoadedCluster, snapshot: Snapshot): { actions: Action[]; repairs: Action[] } {
  const records = readJournal(journalPath(loaded.baseDir, loaded.cluster.name ?? 'default'));
  const nodes = snapshot.state.kube?.nodes ?? [];
  const repairs = uncordonRepairs(
    records,
    plan.actions,
    (node) => nodes.some((n) => (n.name === node || n.host === node) && n.unschedulable),
    (node) => loaded.hosts.find((h) => h.name === node || h.config.hostname === node)?.name,
  );
  return { actions: [...repairs, ...plan.actions], repairs };
}

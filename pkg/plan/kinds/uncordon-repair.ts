// uncordon-repair: a Node an interrupted run of ours cordoned (the journal says so, passed in
// as PlanOptions.interrupted) that is still cordoned and that nothing else in this plan
// uncordons. Nodes cordoned by anyone else are never touched.
import { upgradeMarked } from '../../ops/params.js';
import type { ActionKindModule } from '../kind.js';
import { uncordonStep } from './steps.js';

export const idOf = (node: string): string => `uncordon-repair:${node}`;

export const uncordonRepair: ActionKindModule<'uncordon-repair'> = {
  name: 'uncordon Nodes an interrupted run left cordoned',
  when: ['create', 'reconcile', 'reset'],
  kinds: { 'uncordon-repair': { change: '~', serial: false, disruptive: false } },
  plan(ctx) {
    const left = ctx.options.interrupted?.nodesLeftCordoned ?? [];
    if (left.length === 0) return [];
    const uncordoned = new Set<string>();
    for (const a of ctx.b.all()) for (const s of a.steps) if (s.op === 'node.uncordon') uncordoned.add(s.params.node);
    const nodes = ctx.kube?.nodes ?? [];
    return left
      .filter((node) => !uncordoned.has(node) && nodes.some((n) => (n.name === node || n.host === node) && n.unschedulable))
      .map((node) => {
        const host = ctx.desired.cluster.hosts.find((h) => h.name === node || h.config.hostname === node)?.name;
        // Cordoned by an upgrade of ours: its upgrade-in-progress label goes with the cordon.
        const upgrade = nodes.some((n) => (n.name === node || n.host === node) && upgradeMarked(n.labels));
        return {
          kind: 'uncordon-repair' as const,
          id: idOf(node),
          hosts: host ? [host] : [],
          title: `uncordon node ${node}`,
          reason: `an interrupted run cordoned ${node} and did not uncordon it`,
          steps: [uncordonStep(host, upgrade ? { node, upgrade: true } : { node })],
        };
      });
  },
};

// node.uncordon: the Node takes pods again (the end of an upgrade, a repair); an upgrade's
// uncordon also removes KubeOne's upgrade-in-progress label, in the same patch.
import { CORDON_PARAMS, type CordonParams, NODE_OP, UPGRADE_IN_PROGRESS_LABEL, upgradeMarked } from './params.js';
import { defineOp } from './types.js';

export const nodeUncordon = defineOp<CordonParams>({
  summary: 'mark the Node schedulable again (and, after an upgrade, remove its kubeone.io/upgrade-in-progress label)',
  ...NODE_OP,
  params: CORDON_PARAMS,
  cordon: 'uncordons',
  async run({ deps }, { node: name, upgrade }) {
    const kube = await deps.kube();
    const node = await kube.getNode(name);
    if (!node) return;
    const label = upgrade === true && upgradeMarked(node.labels);
    if (node.unschedulable || label) await kube.patchNode(name, { unschedulable: false, ...(label ? { labels: { [UPGRADE_IN_PROGRESS_LABEL]: null } } : {}) });
  },
  stillDone: ({ node }, { upgrade }) => node !== undefined && !node.unschedulable && (upgrade !== true || !upgradeMarked(node.labels)),
  model(world, { node, upgrade }) {
    const n = world.node(node);
    if (!n) return;
    n.unschedulable = false;
    if (upgrade === true && upgradeMarked(n.labels)) {
      const { [UPGRADE_IN_PROGRESS_LABEL]: _removed, ...rest } = n.labels;
      n.labels = rest;
    }
  },
});

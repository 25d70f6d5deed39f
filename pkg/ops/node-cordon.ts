// node.cordon: mark the Node unschedulable (before a drain, an upgrade, a removal); an
// upgrade's cordon also puts KubeOne's upgrade-in-progress label on it.
import { CORDON_PARAMS, type CordonParams, NODE_OP, UPGRADE_IN_PROGRESS_LABEL, upgradeMarked } from './params.js';
import { defineOp } from './types.js';

export const nodeCordon = defineOp<CordonParams>({
  summary: 'mark the Node unschedulable (and, for an upgrade, label it kubeone.io/upgrade-in-progress)',
  ...NODE_OP,
  params: CORDON_PARAMS,
  cordon: 'cordons',
  async run({ deps }, { node: name, upgrade }) {
    const kube = await deps.kube();
    const node = await kube.getNode(name);
    if (!node) return;
    const label = upgrade === true && !upgradeMarked(node.labels);
    if (!node.unschedulable || label) await kube.patchNode(name, { unschedulable: true, ...(label ? { labels: { [UPGRADE_IN_PROGRESS_LABEL]: '' } } : {}) });
  },
  stillDone: ({ node }, { upgrade }) => node?.unschedulable === true && (upgrade !== true || upgradeMarked(node.labels)),
  model(world, { node, upgrade }) {
    const n = world.node(node);
    if (!n) return;
    n.unschedulable = true;
    if (upgrade === true) n.labels = { ...n.labels, [UPGRADE_IN_PROGRESS_LABEL]: '' };
  },
});

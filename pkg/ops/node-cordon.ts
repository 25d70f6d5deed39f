// node.cordon: mark the Node unschedulable (before a drain, an upgrade, a removal).
import { NODE_OP, type NodeParams } from './params.js';
import { defineOp } from './types.js';

export const nodeCordon = defineOp<NodeParams>({
  summary: 'mark the Node unschedulable',
  ...NODE_OP,
  cordon: 'cordons',
  async run({ deps }, { node: name }) {
    const kube = await deps.kube();
    const node = await kube.getNode(name);
    if (node && !node.unschedulable) await kube.patchNode(name, { unschedulable: true });
  },
  stillDone: ({ node }) => node?.unschedulable === true,
  model(world, { node }) {
    const n = world.node(node);
    if (n) n.unschedulable = true;
  },
});

// node.uncordon: the Node takes pods again (the end of an upgrade, a repair).
import { NODE_OP, type NodeParams } from './params.js';
import { defineOp } from './types.js';

export const nodeUncordon = defineOp<NodeParams>({
  summary: 'mark the Node schedulable again',
  ...NODE_OP,
  cordon: 'uncordons',
  async run({ deps }, { node: name }) {
    const kube = await deps.kube();
    const node = await kube.getNode(name);
    if (node?.unschedulable) await kube.patchNode(name, { unschedulable: false });
  },
  stillDone: ({ node }) => node !== undefined && !node.unschedulable,
  model(world, { node }) {
    const n = world.node(node);
    if (n) n.unschedulable = false;
  },
});

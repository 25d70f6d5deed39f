// node.delete: the Node object of a host that left (or of the previous life of a replaced one).
import { NODE_OP, type NodeParams } from './params.js';
import { defineOp } from './types.js';

export const nodeDelete = defineOp<NodeParams>({
  summary: 'delete the Node object',
  ...NODE_OP,
  // A deleted Node is no longer cordoned by anyone.
  cordon: 'uncordons',
  async run({ deps }, { node }) {
    await (await deps.kube()).deleteNode(node);
  },
  stillDone: ({ node }) => node === undefined,
  model(world, { node }) {
    if (world.kube) world.kube.nodes = world.kube.nodes.filter((n) => n.name !== node);
  },
});

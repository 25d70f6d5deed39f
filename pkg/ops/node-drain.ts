// node.drain: cordon, then evict every pod but DaemonSet and mirror pods and wait until they
// are gone (an eviction a PodDisruptionBudget blocks is asked again).
import { NODE_OP, type NodeParams } from './params.js';
import { defineOp } from './types.js';

export const nodeDrain = defineOp<NodeParams>({
  summary: 'cordon the Node and evict its pods (DaemonSet and mirror pods stay)',
  ...NODE_OP,
  cordon: 'cordons',
  async run({ deps, signal }, { node: name }) {
    const kube = await deps.kube();
    await kube.patchNode(name, { unschedulable: true });
    const deadline = deps.clock.now().getTime() + (deps.drainTimeoutMs ?? 5 * 60_000);
    for (;;) {
      const pods = (await kube.podsOnNode(name)).filter((p) => !p.skip);
      if (pods.length === 0) return;
      for (const pod of pods) await kube.evict(pod.namespace, pod.name);
      if (deps.clock.now().getTime() > deadline) {
        throw new Error(`drain ${name}: ${pods.length} pod(s) still running after the timeout: ${pods.map((p) => `${p.namespace}/${p.name}`).join(', ')}`);
      }
      await deps.clock.sleep(2000, signal);
    }
  },
  // Still cordoned: nothing was scheduled back onto it since.
  stillDone: ({ node }) => node?.unschedulable === true,
  model: () => undefined,
});

// A Node that stays and is NotReady: reported, not acted on (the cause is on the host).
import type { CheckStage } from '../kind.js';

export const notReadyNodes: CheckStage = {
  name: 'warn about NotReady Nodes',
  when: ['reconcile'],
  kinds: {},
  plan(ctx) {
    for (const h of ctx.staying) {
      if (h.node && !h.node.ready) ctx.b.warn(`Node ${h.node.name} is NotReady; nothing is planned for it (check kubelet and containerd on ${h.name})`);
    }
    return [];
  },
};

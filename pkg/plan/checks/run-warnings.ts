// Facts the plan does not act on but a reader must know about: a run that died mid-step, a
// held lock, API errors.
import type { CheckStage } from '../kind.js';

export const runWarnings: CheckStage = {
  name: 'warn about interrupted runs, held locks and API errors',
  when: ['create', 'reconcile', 'degraded', 'reset'],
  kinds: {},
  plan(ctx) {
    for (const h of ctx.hosts) {
      const f = h.facts;
      if (f?.inflight) {
        ctx.b.warn(`${h.name}: step ${f.inflight.step} of ${f.inflight.actionId} (run ${f.inflight.runId}, started ${f.inflight.startedAt}) did not finish; this plan redoes what is still missing`);
      }
      if (f?.lock) {
        ctx.b.warn(`${h.name}: cluster lock held by ${f.lock.owner} (pid ${f.lock.pid}, \`${f.lock.command}\` since ${f.lock.startedAt}); apply refuses to run until it is released (\`kubeone unlock\` if its owner is gone)`);
      }
    }
    if (ctx.kube?.error) ctx.b.warn(`the Kubernetes API answered with errors: ${ctx.kube.error}`);
    return [];
  },
};

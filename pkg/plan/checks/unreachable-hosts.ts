// A host the probe could not reach: its state is unknown, so nothing is planned on it.
import { type CheckStage, EVERY_CONVERGE_MODE } from '../kind.js';

export const unreachableHosts: CheckStage = {
  name: 'refuse to plan on unreachable hosts',
  when: EVERY_CONVERGE_MODE,
  kinds: {},
  plan(ctx) {
    for (const h of ctx.hosts) {
      if (h.reachable) continue;
      const why = h.facts?.error ? `${h.facts.error.kind}: ${h.facts.error.message}` : 'not in the snapshot';
      ctx.b.refuse({
        rule: 'unreachable',
        hosts: [h.name],
        message: `${h.name} is unreachable (${why}); its state is unknown, so nothing is planned on it`,
        hint: `restore SSH access to ${h.facts?.address ?? h.name} (or remove the host from the manifest), then plan again`,
      });
    }
    return [];
  },
};

// reset-host: `kubeone reset` plans the removal of everything with the same planner:
// workers first (in parallel), then the control planes one at a time, the leader last; after
// the LoadBalancer Services and volumes (remove-cloud-resources.ts).
import { ALL_COMPONENTS } from '../../scripts/binaries.js';
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { ActionDraft, ActionKindModule } from '../kind.js';
import type { Step } from '../types.js';
import { DESTROY_WORKERS_ID } from './destroy-workers.js';
import { LB_ID, VOLUMES_ID } from './remove-cloud-resources.js';
import { step } from './steps.js';

export const idOf = (host: string): string => `reset-host:${host}`;

function needed(ctx: PlanContext, host: HostView): string | null {
  const f = host.facts;
  if (!f) return null;
  const found: string[] = [];
  if (host.joined) found.push('kubelet.conf');
  if (f.adminConf) found.push('admin.conf');
  const pods = Object.keys(f.staticPods ?? {}).sort();
  if (pods.length > 0) found.push(`static pods ${pods.join(', ')}`);
  if (ctx.options.removeBinaries) {
    const bins = ALL_COMPONENTS.filter((c) => host.binaries[c] !== '');
    if (bins.length > 0) found.push(`${bins.join(', ')} binaries`);
  }
  if (found.length === 0) return null;
  return `${host.name} has ${found.join(', ')}; reset was requested`;
}

function steps(ctx: PlanContext, host: HostView): Step[] {
  const out = [step('kubeadm.reset', host.name, `kubeadm reset on ${host.name}`)];
  if (ctx.options.removeBinaries) {
    out.push(step('host.binaries.remove', host.name, `remove kubeadm, kubelet, kubectl from ${host.name}`, { components: [...ALL_COMPONENTS] }));
  }
  return out;
}

export const resetHost: ActionKindModule<'reset-host'> = {
  name: 'reset every host, workers first, the leader last',
  when: ['reset'],
  kinds: { 'reset-host': { change: '-', serial: 'on-control-planes', disruptive: true } },
  plan(ctx) {
    const leader = ctx.leader ?? ctx.controlPlanes[0];
    const cps = ctx.controlPlanes.filter((h) => h !== leader);
    if (leader) cps.push(leader);
    const out: ActionDraft<'reset-host'>[] = [];
    const draft = (host: HostView, after: string[]): string | undefined => {
      if (!host.reachable) {
        if (host.node || host.facts === undefined || host.facts.error) {
          ctx.b.refuse({
            rule: 'unreachable',
            hosts: [host.name],
            message: `cannot reset ${host.name}: ${host.facts?.error?.message ?? 'it was not probed'}`,
            hint: `fix SSH access to ${host.name} and plan again, or reset it by hand (kubeadm reset) and remove it from the manifest`,
          });
        }
        return undefined;
      }
      const reason = needed(ctx, host);
      if (reason === null) return undefined;
      out.push({
        kind: 'reset-host',
        id: idOf(host.name),
        hosts: [host.name],
        title: `reset ${host.name}${ctx.options.removeBinaries ? ' and remove the kube binaries' : ''}`,
        reason,
        dependsOn: after,
        steps: steps(ctx, host),
      });
      return idOf(host.name);
    };
    // After the LoadBalancer Services, volumes and worker machines are gone (when planned): they need the API.
    const cleanup = [LB_ID, VOLUMES_ID, DESTROY_WORKERS_ID];
    const workerIds = ctx.workers.flatMap((w) => draft(w, cleanup) ?? []);
    let previous = workerIds.length > 0 ? workerIds : cleanup;
    for (const cp of cps) {
      const id = draft(cp, previous);
      if (id) previous = [id];
    }
    return out;
  },
};

// remove-lb-services / remove-volumes: `kubeone reset` first removes what the cluster made
// outside the hosts and a cloud would keep (and bill) once the hosts are gone, as KubeOne's
// --remove-lb-services and --remove-volumes (both default true): the Services of type
// LoadBalancer (their load balancers) and the PersistentVolumeClaims (with them the volumes a
// provisioner made with reclaim policy Delete). Planned only when there is something to remove;
// the hosts are reset after them.
import type { PlanContext } from '../context.js';
import type { ActionDraft, ActionKindModule } from '../kind.js';
import { step } from './steps.js';

export const LB_ID = 'remove-lb-services:cluster';
export const VOLUMES_ID = 'remove-volumes:cluster';

/** The first three names and how many more (reasons and warnings stay one line). */
export const listed = (names: string[]): string => `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;

/** The cluster exists and removal was asked for, but the API did not answer: nothing can be removed, so nothing is reset. */
function refuseWithoutApi(ctx: PlanContext, flags: string[]): void {
  ctx.b.refuse({
    rule: 'no-leader',
    hosts: [],
    message: `cannot list the LoadBalancer Services and volumes to remove before the reset: the API did not answer${ctx.kube?.error ? ` (${ctx.kube.error})` : ''}`,
    hint: `fix the control plane and plan again, or reset without removing them (${flags.map((f) => `--${f}=false`).join(' ')}) and delete them in the cloud by hand`,
  });
}

export const removeCloudResources: ActionKindModule<'remove-lb-services' | 'remove-volumes'> = {
  name: 'reset: remove LoadBalancer Services and volumes before the hosts',
  when: ['reset'],
  kinds: {
    'remove-lb-services': { change: '-', serial: true, disruptive: true },
    'remove-volumes': { change: '-', serial: true, disruptive: true },
  },
  plan(ctx) {
    const flags = [...(ctx.options.removeLbServices ? ['remove-lb-services'] : []), ...(ctx.options.removeVolumes ? ['remove-volumes'] : [])];
    if (flags.length === 0 || !ctx.clusterExists) return [];
    const r = ctx.kube?.cloudResources;
    if (!r || ctx.kube?.leader === null) {
      refuseWithoutApi(ctx, flags);
      return [];
    }
    const out: ActionDraft<'remove-lb-services' | 'remove-volumes'>[] = [];
    if (ctx.options.removeLbServices && r.loadBalancerServices.length > 0) {
      out.push({
        kind: 'remove-lb-services',
        id: LB_ID,
        hosts: [],
        title: `delete ${r.loadBalancerServices.length} Service(s) of type LoadBalancer`,
        reason: `reset removes the cloud load balancers of ${listed(r.loadBalancerServices)} (--remove-lb-services)`,
        steps: [step('cluster.loadBalancers.remove', undefined, 'delete the LoadBalancer Services and wait for their load balancers to go', { services: r.loadBalancerServices })],
      });
    }
    if (ctx.options.removeVolumes && (r.volumeClaims.length > 0 || r.dynamicVolumes.length > 0)) {
      const what = [
        r.volumeClaims.length > 0 ? `${r.volumeClaims.length} PersistentVolumeClaim(s) (${listed(r.volumeClaims)})` : '',
        r.dynamicVolumes.length > 0 ? `${r.dynamicVolumes.length} dynamically provisioned volume(s) (${listed(r.dynamicVolumes)})` : '',
      ].filter(Boolean);
      out.push({
        kind: 'remove-volumes',
        id: VOLUMES_ID,
        hosts: [],
        title: `delete ${r.volumeClaims.length} PersistentVolumeClaim(s) and wait for their volumes`,
        reason: `reset removes ${what.join(' and ')} (--remove-volumes)`,
        // After the load balancers, as KubeOne.
        dependsOn: [LB_ID],
        steps: [step('cluster.volumes.remove', undefined, 'delete the PersistentVolumeClaims and wait for the provisioned volumes to go', { claims: r.volumeClaims, volumes: r.dynamicVolumes })],
      });
    }
    return out;
  },
};

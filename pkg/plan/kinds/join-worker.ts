// join-worker: static workers join in parallel: in a new cluster after the init, in an
// existing one after the control planes reached the desired version.
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { ActionKindModule } from '../kind.js';
import type { Step } from '../types.js';
import { initIds } from './init-control-plane.js';
import * as binaries from './install-binaries.js';
import * as runtime from './install-container-runtime.js';
import * as prerequisites from './install-prerequisites.js';
import { staleRemovalOf } from './remove-node.js';
import { nodeNameOf, step } from './steps.js';
import { finalControlPlaneUpgrade } from './upgrade.js';

export const idOf = (host: string): string => `join-worker:${host}`;

function steps(ctx: PlanContext, host: HostView): Step[] {
  const node = nodeNameOf(host);
  const out: Step[] = [];
  if (host.joined) out.push(step('kubeadm.reset', host.name, `clean the stale kubeadm state on ${host.name}`));
  out.push(
    step('kubeadm.config.render', host.name, `render the kubeadm join configuration for ${host.name}`),
    step('kubeadm.join', host.name, `kubeadm join ${host.name} as a worker (${ctx.version})`, { controlPlane: false, version: ctx.version }),
    step('host.kubelet.configure', host.name, `write the kubelet flags and configuration on ${host.name}`),
    step('node.waitReady', host.name, `wait for node ${node} to register`, { node, ready: false }),
  );
  return out;
}

export const joinWorker: ActionKindModule<'join-worker'> = {
  name: 'join workers',
  when: ['create', 'reconcile'],
  kinds: { 'join-worker': { change: '+', serial: false, disruptive: false } },
  plan(ctx) {
    const after = ctx.mode === 'create' ? initIds(ctx) : finalControlPlaneUpgrade(ctx);
    return ctx.membership.joins
      .filter((need) => need.host.role === 'staticWorker')
      .map((need) => ({
        kind: 'join-worker' as const,
        id: idOf(need.host.name),
        hosts: [need.host.name],
        title: `join ${need.host.name} as a worker`,
        reason: need.reason,
        dependsOn: [...after, ...staleRemovalOf(ctx, need.host.name), prerequisites.idOf(need.host.name), runtime.idOf(need.host.name), binaries.idOf(need.host.name, ctx.version)],
        steps: steps(ctx, need.host),
      }));
  },
};

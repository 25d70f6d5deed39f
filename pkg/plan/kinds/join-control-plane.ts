// join-control-plane: control planes join one at a time (each adds an etcd member): in a new
// cluster after the init, in an existing one after the removals of dead members and the
// control-plane upgrades to the desired version. Joins the etcd-quorum stage refused are skipped.
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { ActionDraft, ActionKindModule } from '../kind.js';
import type { Step } from '../types.js';
import { initIds } from './init-control-plane.js';
import * as binaries from './install-binaries.js';
import * as runtime from './install-container-runtime.js';
import * as prerequisites from './install-prerequisites.js';
import { membershipRemovals, staleRemovalOf } from './remove-node.js';
import { nodeNameOf, step } from './steps.js';
import { finalControlPlaneUpgrade } from './upgrade.js';

export const idOf = (host: string): string => `join-control-plane:${host}`;

function steps(ctx: PlanContext, host: HostView, leader: string): Step[] {
  const node = nodeNameOf(host);
  const out: Step[] = [];
  // kubelet.conf without a Node: a stale join that kubeadm would refuse to redo.
  if (host.joined) out.push(step('kubeadm.reset', host.name, `clean the stale kubeadm state on ${host.name}`));
  out.push(
    step('pki.distribute', host.name, `copy the cluster CA and service-account keys from ${leader} to ${host.name}`, { from: leader }),
    step('kubeadm.config.render', host.name, `render the kubeadm join configuration for ${host.name}`),
    step('kubeadm.join', host.name, `kubeadm join ${host.name} as a control plane (${ctx.version})`, { controlPlane: true, version: ctx.version }),
    step('host.kubelet.configure', host.name, `write the kubelet flags and configuration on ${host.name}`),
    step('node.waitReady', host.name, `wait for node ${node} to register`, { node, ready: false }),
  );
  return out;
}

export const joinControlPlane: ActionKindModule<'join-control-plane'> = {
  name: 'join control planes, one at a time',
  when: ['create', 'reconcile'],
  kinds: { 'join-control-plane': { change: '+', serial: true, disruptive: false } },
  plan(ctx) {
    const leader = ctx.leader!.name;
    const needs = new Map(ctx.membership.joins.map((n) => [n.host.name, n]));
    let previous = ctx.mode === 'create' ? initIds(ctx) : [...membershipRemovals(ctx), ...finalControlPlaneUpgrade(ctx)];
    const out: ActionDraft<'join-control-plane'>[] = [];
    for (const host of ctx.controlPlanes) {
      const need = needs.get(host.name);
      if (!need || ctx.b.isBlocked(idOf(host.name))) continue;
      out.push({
        kind: 'join-control-plane',
        id: idOf(host.name),
        hosts: [host.name],
        title: `join ${host.name} as a control plane`,
        reason: need.reason,
        dependsOn: [...previous, ...staleRemovalOf(ctx, host.name), prerequisites.idOf(host.name), runtime.idOf(host.name), binaries.idOf(host.name, ctx.version)],
        steps: steps(ctx, host, leader),
      });
      previous = [idOf(host.name)];
    }
    return out;
  },
};

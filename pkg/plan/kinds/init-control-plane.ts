// init-control-plane: `kubeadm init` on the leader of a cluster that does not exist yet.
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { ActionKindModule } from '../kind.js';
import type { Step } from '../types.js';
import { controlPlaneInputSteps } from './control-plane-inputs.js';
import * as binaries from './install-binaries.js';
import * as runtime from './install-container-runtime.js';
import * as prerequisites from './install-prerequisites.js';
import { nodeNameOf, step } from './steps.js';

export const idOf = (host: string): string => `init-control-plane:${host}`;

function steps(ctx: PlanContext, leader: HostView): Step[] {
  const node = nodeNameOf(leader);
  // Leftovers of an earlier, failed init (kubelet.conf, static pods) would make kubeadm init refuse.
  const leftovers = leader.joined || Object.keys(leader.facts?.staticPods ?? {}).length > 0;
  return [
    ...(leftovers ? [step('kubeadm.reset', leader.name, `clean the leftovers of an earlier kubeadm run on ${leader.name}`)] : []),
    ...controlPlaneInputSteps(ctx, leader),
    step('kubeadm.config.render', leader.name, `render the kubeadm configuration for ${leader.name}`),
    step('kubeadm.init', leader.name, `kubeadm init ${ctx.version} on ${leader.name}`, { version: ctx.version }),
    step('host.kubelet.configure', leader.name, `write the kubelet flags and configuration on ${leader.name}`),
    step('node.waitReady', leader.name, `wait for node ${node} to register`, { node, ready: false }),
  ];
}

/** The init of this plan (planned or refused), which everything in a new cluster waits for. */
export function initIds(ctx: PlanContext): string[] {
  return ctx.mode === 'create' && ctx.leader ? ctx.b.deps(idOf(ctx.leader.name)) : [];
}

export const initControlPlane: ActionKindModule<'init-control-plane'> = {
  name: 'initialize the cluster',
  when: ['create'],
  kinds: { 'init-control-plane': { change: '+', serial: true, disruptive: false } },
  plan(ctx) {
    const leader = ctx.leader!;
    if (!leader.reachable) {
      ctx.b.refuse(
        {
          rule: 'unreachable',
          hosts: [leader.name],
          message: `cannot initialize the cluster: the leader ${leader.name} is unreachable`,
          hint: `fix SSH access to ${leader.name} or mark another control plane with isLeader: true, then plan again`,
        },
        [idOf(leader.name)],
      );
      return [];
    }
    const how = leader.config.isLeader ? 'marked isLeader' : 'the first host in controlPlane.hosts';
    return [
      {
        kind: 'init-control-plane',
        id: idOf(leader.name),
        hosts: [leader.name],
        title: `initialize the cluster on ${leader.name} (kubeadm init ${ctx.version})`,
        reason: `no control plane is initialized (no admin.conf and kube-apiserver manifest on any control plane host); ${leader.name} is ${how}`,
        dependsOn: [prerequisites.idOf(leader.name), runtime.idOf(leader.name), binaries.idOf(leader.name, ctx.version)],
        steps: steps(ctx, leader),
      },
    ];
  },
};

// join-control-plane: one control plane at a time joins the cluster (adds an etcd member).
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { Step } from '../types.js';
import * as binaries from './install-binaries.js';
import * as runtime from './install-container-runtime.js';
import * as prerequisites from './install-prerequisites.js';
import { nodeNameOf, step } from './steps.js';

export function steps(ctx: PlanContext, host: HostView, leader: string): Step[] {
  const node = nodeNameOf(host);
  const out: Step[] = [];
  // kubelet.conf without a Node: a stale join that kubeadm would refuse to redo.
  if (host.joined) out.push(step('kubeadm.reset', host.name, `clean the stale kubeadm state on ${host.name}`));
  out.push(
    step('pki.distribute', host.name, `copy the cluster CA and service-account keys from ${leader} to ${host.name}`, { from: leader }),
    step('kubeadm.config.render', host.name, `render the kubeadm join configuration for ${host.name}`),
    step('kubeadm.join', host.name, `kubeadm join ${host.name} as a control plane (${ctx.version})`, {
      controlPlane: true,
      version: ctx.version,
    }),
    step('host.kubelet.configure', host.name, `write the kubelet flags and configuration on ${host.name}`),
    step('node.waitReady', host.name, `wait for node ${node} to register`, { node, ready: false }),
  );
  return out;
}

export const idOf = (host: string): string => `join-control-plane:${host}`;

export function plan(ctx: PlanContext, host: HostView, leader: string, reason: string, after: string[]): string {
  return ctx.b.add({
    id: idOf(host.name),
    kind: 'join-control-plane',
    change: '+',
    hosts: [host.name],
    title: `join ${host.name} as a control plane`,
    reason,
    dependsOn: ctx.b.deps(
      ...after,
      prerequisites.idOf(host.name),
      runtime.idOf(host.name),
      binaries.idOf(host.name, ctx.version),
    ),
    disruptive: false,
    serial: true,
    steps: steps(ctx, host, leader),
  }).id;
}

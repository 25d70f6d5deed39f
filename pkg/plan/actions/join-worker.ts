// join-worker: a static worker joins the cluster; workers join in parallel.
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { Step } from '../types.js';
import * as binaries from './install-binaries.js';
import * as runtime from './install-container-runtime.js';
import * as prerequisites from './install-prerequisites.js';
import { nodeNameOf, step } from './steps.js';

export function steps(ctx: PlanContext, host: HostView): Step[] {
  const node = nodeNameOf(host);
  const out: Step[] = [];
  if (host.joined) out.push(step('kubeadm.reset', host.name, `clean the stale kubeadm state on ${host.name}`));
  out.push(
    step('kubeadm.config.render', host.name, `render the kubeadm join configuration for ${host.name}`),
    step('kubeadm.join', host.name, `kubeadm join ${host.name} as a worker (${ctx.version})`, {
      controlPlane: false,
      version: ctx.version,
    }),
    step('host.kubelet.configure', host.name, `write the kubelet flags and configuration on ${host.name}`),
    step('node.waitReady', host.name, `wait for node ${node} to register`, { node, ready: false }),
  );
  return out;
}

export const idOf = (host: string): string => `join-worker:${host}`;

export function plan(ctx: PlanContext, host: HostView, reason: string, after: string[]): string {
  return ctx.b.add({
    id: idOf(host.name),
    kind: 'join-worker',
    change: '+',
    hosts: [host.name],
    title: `join ${host.name} as a worker`,
    reason,
    dependsOn: ctx.b.deps(
      ...after,
      prerequisites.idOf(host.name),
      runtime.idOf(host.name),
      binaries.idOf(host.name, ctx.version),
    ),
    disruptive: false,
    serial: false,
    steps: steps(ctx, host),
  }).id;
}

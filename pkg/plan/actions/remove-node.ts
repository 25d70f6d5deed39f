// remove-node: a host deleted from the manifest leaves the cluster (drain, etcd member, Node,
// reset when we can still reach it); also the stale Node of a worker that is being replaced.
import type { PlanContext } from '../context.js';
import type { JoinNeed, Stray } from '../membership.js';
import type { Step } from '../types.js';
import { step } from './steps.js';

export const idOf = (name: string): string => `remove-node:${name}`;

export function strayReason(stray: Stray): string {
  const parts: string[] = [];
  if (stray.node) parts.push(`Node ${stray.node.name} is in the cluster`);
  if (stray.member) parts.push(`etcd member ${stray.member.name} (${stray.member.id}) is in etcd`);
  if (!stray.node && !stray.member) parts.push(`${stray.name} was probed and has joined a cluster`);
  return `${parts.join(' and ')}, but no host ${stray.name} is in controlPlane.hosts or staticWorkers.hosts`;
}

export function straySteps(stray: Stray): Step[] {
  const out: Step[] = [];
  const node = stray.node;
  if (node) {
    out.push(step('node.cordon', stray.name, `cordon node ${node.name}`, { node: node.name }));
    // Draining a node whose kubelet is gone only waits for nothing: the pods are rescheduled once the Node is deleted.
    if (node.ready) out.push(step('node.drain', stray.name, `drain node ${node.name}`, { node: node.name }));
  }
  if (stray.member) {
    out.push(
      step('etcd.member.remove', stray.name, `remove etcd member ${stray.member.name} (${stray.member.id})`, {
        memberId: stray.member.id,
        name: stray.member.name,
      }),
    );
  }
  // Reset before the Node goes: a kubelet still running would register the Node again. Only a
  // machine that still holds a kubelet.conf is reset: the address may by now belong to a
  // machine put to other use.
  if (stray.facts?.reachable && stray.facts.kubelet?.kubeconfig === true) out.push(step('kubeadm.reset', stray.name, `kubeadm reset on ${stray.name}`));
  if (node) out.push(step('node.delete', stray.name, `delete Node ${node.name}`, { node: node.name }));
  return out;
}

export function planStray(ctx: PlanContext, stray: Stray, after: string[]): string {
  const wasControlPlane = stray.member !== undefined || stray.facts?.role === 'controlPlane';
  return ctx.b.add({
    id: idOf(stray.name),
    kind: 'remove-node',
    change: '-',
    hosts: [stray.name],
    title: `remove ${wasControlPlane ? 'control plane' : 'worker'} ${stray.name} from the cluster`,
    reason: strayReason(stray),
    dependsOn: ctx.b.deps(...after),
    disruptive: stray.node?.ready === true || stray.facts?.reachable === true,
    serial: wasControlPlane,
    steps: straySteps(stray),
  }).id;
}

/** The old Node of a host that rejoins (fresh replacement, dead kubelet) is deleted before the join. */
export function planStaleNode(ctx: PlanContext, need: JoinNeed, after: string[]): string {
  const node = need.staleNode!;
  return ctx.b.add({
    id: idOf(need.host.name),
    kind: 'remove-node',
    change: '-',
    hosts: [need.host.name],
    title: `delete the old Node ${node.name} of ${need.host.name} before it rejoins`,
    reason: need.reason,
    dependsOn: ctx.b.deps(...after),
    disruptive: node.ready,
    serial: need.host.role === 'controlPlane',
    steps: [step('node.delete', need.host.name, `delete Node ${node.name}`, { node: node.name })],
  }).id;
}

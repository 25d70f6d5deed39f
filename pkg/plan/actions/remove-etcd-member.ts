// remove-etcd-member: a control plane that is being replaced (dead member, fresh host) loses its
// old etcd member and Node before it joins again, so the join never adds a member to a
// cluster that still counts the dead one.
import type { PlanContext } from '../context.js';
import type { JoinNeed } from '../membership.js';
import type { Step } from '../types.js';
import { step } from './steps.js';

export function steps(need: JoinNeed): Step[] {
  const host = need.host.name;
  const out: Step[] = [];
  if (need.staleMember) {
    out.push(
      step('etcd.member.remove', host, `remove etcd member ${need.staleMember.name} (${need.staleMember.id})`, {
        memberId: need.staleMember.id,
        name: need.staleMember.name,
      }),
    );
  }
  if (need.staleNode) out.push(step('node.delete', host, `delete Node ${need.staleNode.name}`, { node: need.staleNode.name }));
  return out;
}

export const idOf = (host: string): string => `remove-etcd-member:${host}`;

export function plan(ctx: PlanContext, need: JoinNeed, after: string[]): string {
  const member = need.staleMember!;
  return ctx.b.add({
    id: idOf(need.host.name),
    kind: 'remove-etcd-member',
    change: '-',
    hosts: [need.host.name],
    title: `remove the old etcd member${need.staleNode ? ' and Node' : ''} of ${need.host.name} before it rejoins`,
    reason: `${need.reason}; its old etcd member ${member.id} goes first, so etcd never counts a dead member while the replacement joins`,
    dependsOn: ctx.b.deps(...after),
    disruptive: need.staleNode?.ready === true,
    serial: true,
    steps: steps(need),
  }).id;
}

// remove-etcd-member: a control plane that is being replaced (dead member, fresh host) loses
// its old etcd member and Node before it joins again, so the join never adds a member to a
// cluster that still counts the dead one. Removals the etcd-quorum stage refused are skipped.
import type { JoinNeed } from '../membership.js';
import type { ActionKindModule } from '../kind.js';
import type { Step } from '../types.js';
import { step } from './steps.js';

export const idOf = (host: string): string => `remove-etcd-member:${host}`;

function steps(need: JoinNeed): Step[] {
  const host = need.host.name;
  const member = need.staleMember!;
  const out = [step('etcd.member.remove', host, `remove etcd member ${member.name} (${member.id})`, { memberId: member.id, name: member.name })];
  if (need.staleNode) out.push(step('node.delete', host, `delete Node ${need.staleNode.name}`, { node: need.staleNode.name }));
  return out;
}

export const removeEtcdMember: ActionKindModule<'remove-etcd-member'> = {
  name: 'remove the old etcd members of control planes that rejoin',
  when: ['reconcile'],
  kinds: { 'remove-etcd-member': { change: '-', serial: true, disruptive: false } },
  plan: (ctx) =>
    ctx.membership.joins
      .filter((need) => need.staleMember && !ctx.b.isBlocked(idOf(need.host.name)))
      .map((need) => ({
        kind: 'remove-etcd-member' as const,
        id: idOf(need.host.name),
        hosts: [need.host.name],
        title: `remove the old etcd member${need.staleNode ? ' and Node' : ''} of ${need.host.name} before it rejoins`,
        reason: `${need.reason}; its old etcd member ${need.staleMember!.id} goes first, so etcd never counts a dead member while the replacement joins`,
        // Deleting a Node that still reports Ready evicts what runs there.
        disruptive: need.staleNode?.ready === true,
        steps: steps(need),
      })),
};

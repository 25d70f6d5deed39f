// Etcd quorum accounting, in one place: every change of etcd membership this plan would make,
// in the order the plan makes them (dead members of rejoining and removed hosts first, then
// control-plane joins, then control planes that leave), checked against quorum. A change that
// would lose quorum is refused here; the stages that plan removals and joins skip what is refused.
import type { PlanContext } from '../context.js';
import type { CheckStage } from '../kind.js';
import * as joinControlPlane from '../kinds/join-control-plane.js';
import * as removeEtcdMember from '../kinds/remove-etcd-member.js';
import { idOf as removeNodeId, isDeadStray } from '../kinds/remove-node.js';
import { EtcdQuorum, isDeadMember } from '../membership.js';

function refuse(ctx: PlanContext, host: string, violation: string, ids: string[]): void {
  ctx.b.refuse(
    {
      rule: 'quorum',
      hosts: [host],
      message: `changing the etcd membership for ${host} would lose etcd quorum: ${violation}`,
      hint: 'bring the unhealthy control planes back (or restore etcd from a backup), then plan again',
    },
    ids,
  );
}

export const etcdQuorum: CheckStage = {
  name: 'etcd quorum: refuse membership changes that would lose it',
  when: ['reconcile'],
  kinds: {},
  plan(ctx) {
    const { joins, strays, etcdMembers, etcdHealthy } = ctx.membership;
    const quorum = new EtcdQuorum(etcdMembers, etcdHealthy);
    // 1. Old members of rejoining control planes, then dead members of removed hosts.
    for (const need of joins) {
      if (!need.staleMember) continue;
      const violation = quorum.remove(!isDeadMember(need.staleMember, need.staleNode));
      if (violation) refuse(ctx, need.host.name, violation, [removeEtcdMember.idOf(need.host.name), joinControlPlane.idOf(need.host.name)]);
    }
    const dead = strays.filter((s) => isDeadStray(ctx, s));
    for (const stray of dead) {
      const violation = quorum.remove(false);
      if (violation) refuse(ctx, stray.name, violation, [removeNodeId(stray.name)]);
    }
    // 2. Control planes that join (as learners first), one at a time.
    const joining = new Set(joins.map((n) => n.host.name));
    for (const host of ctx.controlPlanes) {
      if (!joining.has(host.name) || ctx.b.isBlocked(joinControlPlane.idOf(host.name))) continue;
      const violation = quorum.add();
      if (violation) refuse(ctx, host.name, violation, [joinControlPlane.idOf(host.name)]);
    }
    // 3. Control planes removed from the manifest, after their replacements joined.
    for (const stray of strays) {
      if (!stray.member || dead.includes(stray)) continue;
      const violation = quorum.remove(!isDeadMember(stray.member, stray.node));
      if (violation) refuse(ctx, stray.name, violation, [removeNodeId(stray.name)]);
    }
    return [];
  },
};

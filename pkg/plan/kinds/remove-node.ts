// remove-node: a host deleted from the manifest leaves the cluster (drain, etcd member, reset
// when we can still reach it, Node); also the stale Node of a host that is being replaced. The
// kind acts at two points of the stage list: what is dead or stale goes before the upgrades
// and joins (etcd must not count a dead member while others change), hosts that leave go once
// their replacements joined. Removals the etcd-quorum stage refused are skipped.
import type { PlanContext } from '../context.js';
import type { ActionDraft, ActionKindModule, KindDeclaration } from '../kind.js';
import { isDeadMember, type JoinNeed, type Stray } from '../membership.js';
import type { Step } from '../types.js';
import * as removeEtcdMember from './remove-etcd-member.js';
import { step } from './steps.js';

export const idOf = (name: string): string => `remove-node:${name}`;

const KIND: { 'remove-node': KindDeclaration } = { 'remove-node': { change: '-', serial: 'on-control-planes', disruptive: true } };
type Draft = ActionDraft<'remove-node'>;

/** A stray whose etcd member is dead: removed before anything else changes etcd. */
export function isDeadStray(ctx: PlanContext, stray: Stray): boolean {
  const nodesByName = new Map((ctx.kube?.nodes ?? []).map((n) => [n.name, n]));
  return stray.member !== undefined && isDeadMember(stray.member, stray.node ?? nodesByName.get(stray.member.name));
}

function strayReason(stray: Stray): string {
  const parts: string[] = [];
  if (stray.node) parts.push(`Node ${stray.node.name} is in the cluster`);
  if (stray.member) parts.push(`etcd member ${stray.member.name} (${stray.member.id}) is in etcd`);
  if (!stray.node && !stray.member) parts.push(`${stray.name} was probed and has joined a cluster`);
  return `${parts.join(' and ')}, but no host ${stray.name} is in controlPlane.hosts or staticWorkers.hosts`;
}

function straySteps(stray: Stray): Step[] {
  const out: Step[] = [];
  const node = stray.node;
  if (node) {
    out.push(step('node.cordon', stray.name, `cordon node ${node.name}`, { node: node.name }));
    // Draining a node whose kubelet is gone only waits for nothing: the pods are rescheduled once the Node is deleted.
    if (node.ready) out.push(step('node.drain', stray.name, `drain node ${node.name}`, { node: node.name }));
  }
  if (stray.member) {
    out.push(step('etcd.member.remove', stray.name, `remove etcd member ${stray.member.name} (${stray.member.id})`, { memberId: stray.member.id, name: stray.member.name }));
  }
  // Reset before the Node goes: a kubelet still running would register the Node again. Only a
  // machine that still holds a kubelet.conf is reset: the address may by now belong to a
  // machine put to other use.
  if (stray.facts?.reachable && stray.facts.kubelet?.kubeconfig === true) out.push(step('kubeadm.reset', stray.name, `kubeadm reset on ${stray.name}`));
  if (node) out.push(step('node.delete', stray.name, `delete Node ${node.name}`, { node: node.name }));
  return out;
}

function strayDraft(stray: Stray, dependsOn: string[]): Draft {
  const wasControlPlane = stray.member !== undefined || stray.facts?.role === 'controlPlane';
  return {
    kind: 'remove-node',
    id: idOf(stray.name),
    hosts: [stray.name],
    title: `remove ${wasControlPlane ? 'control plane' : 'worker'} ${stray.name} from the cluster`,
    reason: strayReason(stray),
    dependsOn,
    // Not in the manifest: its role is what the cluster says it was.
    serial: wasControlPlane,
    disruptive: stray.node?.ready === true || stray.facts?.reachable === true,
    steps: straySteps(stray),
  };
}

/** The old Node of a host that rejoins (fresh replacement, dead kubelet) is deleted before the join. */
function staleNodeDraft(need: JoinNeed): Draft {
  const node = need.staleNode!;
  return {
    kind: 'remove-node',
    id: idOf(need.host.name),
    hosts: [need.host.name],
    title: `delete the old Node ${node.name} of ${need.host.name} before it rejoins`,
    reason: need.reason,
    disruptive: node.ready,
    steps: [step('node.delete', need.host.name, `delete Node ${node.name}`, { node: node.name })],
  };
}

/** The planned removal of what is left of a rejoining host's previous life (etcd member, or Node only). */
export function staleRemovalOf(ctx: PlanContext, host: string): string[] {
  return ctx.b.deps(removeEtcdMember.idOf(host), idOf(host)).filter((id) => ctx.b.get(id) !== undefined);
}

/** The removals everything else in a reconcile waits for: dead strays, then the stale members and Nodes of rejoining hosts. */
export function membershipRemovals(ctx: PlanContext): string[] {
  const dead = ctx.membership.strays.filter((s) => isDeadStray(ctx, s)).map((s) => idOf(s.name));
  const stale = ctx.membership.joins.flatMap((need) => staleRemovalOf(ctx, need.host.name));
  return [...dead, ...stale].filter((id) => ctx.b.get(id) !== undefined);
}

/** Stale Nodes of rejoining hosts and hosts removed from the manifest whose etcd member is dead. */
const deadOrStale: ActionKindModule<'remove-node'> = {
  name: 'remove stale Nodes and dead members of removed hosts',
  when: ['reconcile'],
  kinds: KIND,
  plan(ctx) {
    const stale = ctx.membership.joins.filter((need) => !need.staleMember && need.staleNode).map(staleNodeDraft);
    const dead = ctx.membership.strays.filter((s) => isDeadStray(ctx, s) && !ctx.b.isBlocked(idOf(s.name))).map((s) => strayDraft(s, []));
    return [...stale, ...dead];
  },
};

/** Hosts removed from the manifest, once every join of the plan (their replacements) is done; control planes one at a time. */
const leaving: ActionKindModule<'remove-node'> = {
  name: 'remove hosts that left the manifest',
  when: ['reconcile'],
  kinds: KIND,
  plan(ctx) {
    const joins = [...ctx.b.planned('join-control-plane'), ...ctx.b.planned('join-worker')].map((a) => a.id);
    const out: Draft[] = [];
    let previous = joins;
    for (const stray of ctx.membership.strays) {
      if (ctx.b.known(idOf(stray.name))) continue;
      if (stray.member) {
        out.push(strayDraft(stray, previous));
        previous = [idOf(stray.name)];
      } else {
        out.push(strayDraft(stray, joins));
      }
    }
    return out;
  },
};

export const removeNode = { deadOrStale, leaving };

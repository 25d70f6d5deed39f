// The planner: a pure function from (defaulted manifest + renders, snapshot, options) to a Plan.
// No I/O, no clock, no randomness: the same inputs always give the same plan.
import { buildContext, type PlanContext } from './context.js';
import type { HostView } from './host-state.js';
import { analyzeMembership, EtcdQuorum, isDeadMember, type JoinNeed, type Membership } from './membership.js';
import * as addons from './actions/addons.js';
import * as configureKubelet from './actions/configure-kubelet.js';
import * as configureRuntime from './actions/configure-container-runtime.js';
import * as init from './actions/init-control-plane.js';
import * as binaries from './actions/install-binaries.js';
import * as runtime from './actions/install-container-runtime.js';
import * as prerequisites from './actions/install-prerequisites.js';
import * as joinControlPlane from './actions/join-control-plane.js';
import * as joinWorker from './actions/join-worker.js';
import * as reconfigure from './actions/reconfigure-control-plane.js';
import * as removeEtcdMember from './actions/remove-etcd-member.js';
import * as removeNode from './actions/remove-node.js';
import * as renewCertificates from './actions/renew-certificates.js';
import * as resetHost from './actions/reset-host.js';
import * as syncNodeMetadata from './actions/sync-node-metadata.js';
import * as upgrade from './actions/upgrade.js';
import { PLAN_FORMAT, type DesiredState, type Plan, type PlanOptions } from './types.js';
import type { Snapshot } from '../snapshot/types.js';

export { canonicalJson } from '../api/canonical-json.js';
export type { PlanContext } from './context.js';

export function computePlan(desired: DesiredState, snapshot: Snapshot, options: PlanOptions): Plan {
  const ctx = buildContext(desired, snapshot, options);
  if (options.reset) {
    warnAboutRuns(ctx);
    resetHost.plan(ctx);
  } else converge(ctx);
  const { actions, refusals, warnings } = ctx.b.finish();
  return {
    formatVersion: PLAN_FORMAT,
    snapshotHash: snapshot.hash,
    manifestHash: desired.manifestHash,
    actions,
    refusals,
    warnings,
  };
}

/** True when applying the plan would change something. */
export function hasChanges(plan: Plan): boolean {
  return plan.actions.length > 0;
}

/** Facts the plan does not act on but a reader must know about. */
function warnAboutRuns(ctx: PlanContext): void {
  for (const h of ctx.hosts) {
    const f = h.facts;
    if (f?.inflight) {
      ctx.b.warn(`${h.name}: step ${f.inflight.step} of ${f.inflight.actionId} (run ${f.inflight.runId}, started ${f.inflight.startedAt}) did not finish; this plan redoes what is still missing`);
    }
    if (f?.lock) {
      ctx.b.warn(`${h.name}: cluster lock held by ${f.lock.owner} (pid ${f.lock.pid}, \`${f.lock.command}\` since ${f.lock.startedAt}); apply refuses to run until it is released (\`kubeone unlock\` if its owner is gone)`);
    }
  }
  if (ctx.kube?.error) ctx.b.warn(`the Kubernetes API answered with errors: ${ctx.kube.error}`);
}

function converge(ctx: PlanContext): void {
  warnAboutRuns(ctx);
  refuseUnreachable(ctx);
  const membership = analyzeMembership(ctx);
  const joining = new Set(membership.joins.map((j) => j.host.name));
  const initHost = ctx.clusterExists ? null : ctx.leader;
  for (const h of ctx.hosts) {
    if (!h.reachable) continue;
    prerequisites.plan(ctx, h);
    runtime.plan(ctx, h);
    if (joining.has(h.name) || h === initHost) binaries.plan(ctx, h);
    configureRuntime.plan(ctx, h);
  }
  if (!ctx.clusterExists) return createCluster(ctx, membership);
  const quorum = new EtcdQuorum(membership.etcdMembers, membership.etcdHealthy);
  if (ctx.leader === null || quorum.lost) {
    if (ctx.leader === null) refuseNoLeader(ctx);
    else refuseQuorumLost(ctx, quorum);
    for (const h of ctx.hosts) if (!joining.has(h.name)) configureKubelet.plan(ctx, h);
    return;
  }
  reconcileCluster(ctx, membership, joining, quorum);
}

function refuseUnreachable(ctx: PlanContext): void {
  for (const h of ctx.hosts) {
    if (h.reachable) continue;
    const why = h.facts?.error ? `${h.facts.error.kind}: ${h.facts.error.message}` : 'not in the snapshot';
    ctx.b.refuse({
      rule: 'unreachable',
      hosts: [h.name],
      message: `${h.name} is unreachable (${why}); its state is unknown, so nothing is planned on it`,
      hint: `restore SSH access to ${h.facts?.address ?? h.name} (or remove the host from the manifest), then plan again`,
    });
  }
}

function refuseNoLeader(ctx: PlanContext): void {
  const initialized = ctx.controlPlanes.filter((h) => h.cpInitialized).map((h) => h.name);
  ctx.b.refuse({
    rule: 'no-leader',
    hosts: initialized,
    message:
      `the cluster exists (control planes initialized: ${initialized.join(', ') || 'unknown'}) but no kube-apiserver answered` +
      `${ctx.kube?.error ? ` (${ctx.kube.error})` : ''}; joins, upgrades, repairs and addons need a leader`,
    hint: 'check kube-apiserver and etcd on the control planes (kubeone status); restore etcd from a backup if it lost its data, then plan again',
  });
}

function refuseQuorumLost(ctx: PlanContext, quorum: EtcdQuorum): void {
  const dead = ctx.controlPlanes.filter((h) => h.dead).map((h) => h.name);
  ctx.b.refuse({
    rule: 'quorum',
    hosts: dead,
    message: `etcd has lost quorum (${quorum.describe()}): no member can be removed or added safely, so nothing in the cluster is changed`,
    hint: `bring the dead control planes (${dead.join(', ')}) back, or restore etcd from a backup on one control plane, then plan again`,
  });
}

/** Fresh cluster: init on the leader, control planes join one at a time, workers join in parallel, then addons. */
function createCluster(ctx: PlanContext, membership: Membership): void {
  const leader = ctx.leader;
  if (!leader) {
    ctx.b.refuse({ rule: 'no-leader', hosts: [], message: 'the manifest has no control plane host', hint: 'add controlPlane.hosts' });
    return;
  }
  const initId = init.plan(ctx, leader);
  let previous = ctx.b.deps(initId);
  const joinIds = new Map<string, string>([[leader.name, initId ?? '']]);
  for (const need of membership.joins.filter((j) => j.host.role === 'controlPlane')) {
    const id = joinControlPlane.plan(ctx, need.host, leader.name, need.reason, previous);
    joinIds.set(need.host.name, id);
    previous = [id];
  }
  for (const need of membership.joins.filter((j) => j.host.role === 'staticWorker')) {
    joinIds.set(need.host.name, joinWorker.plan(ctx, need.host, need.reason, ctx.b.deps(initId)));
  }
  for (const h of ctx.hosts) if (joinIds.has(h.name)) syncNodeMetadata.plan(ctx, h, [joinIds.get(h.name)!]);
  addons.plan(ctx, ctx.b.deps(initId));
}

function reconcileCluster(ctx: PlanContext, membership: Membership, joining: Set<string>, quorum: EtcdQuorum): void {
  const leader = ctx.leader!;
  const byName = (needs: JoinNeed[]) => new Map(needs.map((n) => [n.host.name, n]));
  const joins = byName(membership.joins);
  const nodesByName = new Map((ctx.kube?.nodes ?? []).map((n) => [n.name, n]));

  // 1. Dead or stale members and Nodes leave first: etcd never counts a member that cannot vote while another joins.
  const removals: string[] = [];
  const removalOf = new Map<string, string>();
  for (const need of membership.joins) {
    if (need.staleMember) {
      const id = removeEtcdMember.idOf(need.host.name);
      const violation = quorum.remove(!isDeadMember(need.staleMember, need.staleNode));
      if (violation) {
        refuseQuorum(ctx, need.host.name, violation, [id, joinControlPlane.idOf(need.host.name)]);
        continue;
      }
      removalOf.set(need.host.name, removeEtcdMember.plan(ctx, need, []));
    } else if (need.staleNode) {
      removalOf.set(need.host.name, removeNode.planStaleNode(ctx, need, []));
    }
  }
  const strays = membership.strays;
  for (const stray of strays.filter((s) => s.member && isDeadMember(s.member, s.node ?? nodesByName.get(s.member.name)))) {
    const violation = quorum.remove(false);
    const id = removeNode.idOf(stray.name);
    if (violation) refuseQuorum(ctx, stray.name, violation, [id]);
    else removals.push(removeNode.planStray(ctx, stray, []));
  }
  removals.push(...removalOf.values());

  // 2. Upgrades of the hosts that stay, one minor at a time.
  const staying = ctx.hosts.filter((h) => !joining.has(h.name) && h.node !== undefined && !h.dead);
  const stays = new Set(staying);
  const upgrades = upgrade.plan(ctx, staying, removals);

  // 3. Joins, at the desired version, after the control planes reached it.
  let previousCp = [...removals, ...upgrades.finalControlPlane];
  const joinIds = new Map<string, string>();
  for (const h of ctx.controlPlanes.filter((c) => joins.has(c.name))) {
    const need = joins.get(h.name)!;
    if (ctx.b.isBlocked(joinControlPlane.idOf(h.name))) continue;
    const violation = quorum.add();
    if (violation) {
      refuseQuorum(ctx, h.name, violation, [joinControlPlane.idOf(h.name)]);
      continue;
    }
    const id = joinControlPlane.plan(ctx, h, leader.name, need.reason, [...previousCp, ...ctx.b.deps(removalOf.get(h.name))]);
    joinIds.set(h.name, id);
    previousCp = [id];
  }
  for (const h of ctx.workers.filter((w) => joins.has(w.name))) {
    const after = [...upgrades.finalControlPlane, ...ctx.b.deps(removalOf.get(h.name))];
    joinIds.set(h.name, joinWorker.plan(ctx, h, joins.get(h.name)!.reason, after));
  }

  // 4. Hosts deleted from the manifest leave once their replacements (if any) joined.
  let previousRemoval = [...joinIds.values()];
  for (const stray of strays) {
    const id = removeNode.idOf(stray.name);
    if (ctx.b.known(id)) continue;
    if (stray.member) {
      const violation = quorum.remove(!isDeadMember(stray.member, stray.node));
      if (violation) {
        refuseQuorum(ctx, stray.name, violation, [id]);
        continue;
      }
      previousRemoval = [removeNode.planStray(ctx, stray, previousRemoval)];
    } else {
      removeNode.planStray(ctx, stray, [...joinIds.values()]);
    }
  }

  // 5. Configuration drift of hosts that stay (an upgrade already rewrites the kubelet files).
  for (const h of staying) {
    if (upgrades.byHost.has(h.name)) continue;
    configureKubelet.plan(ctx, h);
    binaries.planTools(ctx, h);
  }
  const cps = [leader, ...ctx.controlPlanes.filter((h) => h !== leader)].filter(
    (h) => h.reachable && (joinIds.has(h.name) || stays.has(h)),
  );
  reconfigure.plan(ctx, cps, (h) =>
    ctx.b.deps(...upgrades.finalControlPlane, upgrades.byHost.get(h.name), joinIds.get(h.name), configureKubelet.idOf(h.name)),
  );
  for (const h of ctx.hosts) {
    if (!h.reachable) continue;
    if (joinIds.has(h.name)) syncNodeMetadata.plan(ctx, h, [joinIds.get(h.name)!]);
    else if (stays.has(h)) syncNodeMetadata.plan(ctx, h, []);
  }
  // kubeadm upgrade renews the certificates of the control planes it upgrades.
  // Both restart the static pods: renewals wait for the flag changes.
  const reconfigured = ctx.b.deps(...cps.map((h) => reconfigure.idOf(h.name)));
  renewCertificates.plan(ctx, cps.filter((h) => stays.has(h) && !upgrades.byHost.has(h.name)), reconfigured.slice(-1));
  for (const h of staying) {
    if (h.node && !h.node.ready) ctx.b.warn(`Node ${h.node.name} is NotReady; nothing is planned for it (check kubelet and containerd on ${h.name})`);
  }
  addons.plan(ctx, upgrades.finalControlPlane);
}

function refuseQuorum(ctx: PlanContext, host: string, violation: string, ids: string[]): void {
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

export type { HostView };

// The planner's view of one (desired, snapshot, options) triple, computed once and shared
// by every stage: host views, who is in the cluster and who must join or leave, the leader,
// and the mode the plan is made in.
import { type FileGroup, fileGroupOf } from '../desired/file-groups.js';
import type { ClusterFacts, EtcdMemberFacts, HostFacts, NodeFacts, Snapshot } from '../snapshot/types.js';
import { PlanBuilder } from './builder.js';
import { deriveHostView, type HostView } from './host-state.js';
import type { PlanMode } from './kind.js';
import { analyzeMembership, EtcdQuorum, type Membership } from './membership.js';
import type { DesiredState, PlanOptions } from './types.js';
import { stripV } from './host-state.js';

export interface PlanContext {
  desired: DesiredState;
  snapshot: Snapshot;
  options: PlanOptions;
  /** versions.kubernetes (defaulted, no `v`). */
  version: string;
  kube: ClusterFacts | null;
  /** Desired hosts in manifest order: control planes first as the manifest lists them. */
  hosts: HostView[];
  byName: Map<string, HostView>;
  controlPlanes: HostView[];
  workers: HostView[];
  /** Snapshot hosts that are no longer in the manifest (a snapshot saved with an older manifest). */
  strayFacts: HostFacts[];
  /** A control plane is initialized somewhere (cluster exists, even if its API did not answer). */
  clusterExists: boolean;
  /** The control plane the cluster-level steps run against; null when none can be found. */
  leader: HostView | null;
  mode: PlanMode;
  membership: Membership;
  /** Hosts that join (or rejoin) the cluster in this plan. */
  joining: ReadonlySet<string>;
  /** Reconcile: hosts that stay in the cluster as they are (joined, with a Node, not dead). */
  staying: HostView[];
  b: PlanBuilder;
}

export function buildContext(desired: DesiredState, snapshot: Snapshot, options: PlanOptions): PlanContext {
  const kube = snapshot.state.kube;
  const factsByName = new Map(snapshot.state.hosts.map((f) => [f.name, f]));
  const nodeByHost = new Map<string, NodeFacts>();
  const memberByHost = new Map<string, EtcdMemberFacts>();
  // The probe matches Nodes and members to hosts; when it could not, match again by name and
  // address here, so that a host is never mistaken for a stranger (which would delete its Node).
  const owner = matcher(desired, factsByName);
  for (const node of kube?.nodes ?? []) {
    const host = node.host ?? owner(node.name, [node.internalIP]);
    if (host !== null && !nodeByHost.has(host)) nodeByHost.set(host, node);
  }
  for (const member of kube?.etcdMembers ?? []) {
    const addresses = member.peerURLs.map((u) => /^\w+:\/\/\[?([^\]/]+?)\]?:\d+/.exec(u)?.[1] ?? '');
    const host = member.host ?? owner(member.name, addresses);
    if (host !== null && !memberByHost.has(host)) memberByHost.set(host, member);
  }

  const hosts = desired.cluster.hosts.map((h) =>
    deriveHostView(h, factsByName.get(h.name), nodeByHost.get(h.name), memberByHost.get(h.name)),
  );
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const controlPlanes = hosts.filter((h) => h.role === 'controlPlane');
  const workers = hosts.filter((h) => h.role === 'staticWorker');
  const strayFacts = snapshot.state.hosts.filter((f) => !byName.has(f.name));
  const clusterExists = kube !== null || controlPlanes.some((h) => h.cpInitialized);
  const version = stripV(desired.cluster.cluster.versions?.kubernetes ?? '');
  if (version === '') throw new Error('versions.kubernetes: missing (the planner needs the defaulted manifest)');
  const leader = chooseLeader(kube, controlPlanes, clusterExists);
  const ctx: PlanContext = {
    desired,
    snapshot,
    options,
    version,
    kube,
    hosts,
    byName,
    controlPlanes,
    workers,
    strayFacts,
    clusterExists,
    leader,
    mode: 'create',
    membership: { joins: [], strays: [], etcdMembers: 0, etcdHealthy: 0 },
    joining: new Set(),
    staying: [],
    b: new PlanBuilder(),
  };
  ctx.membership = analyzeMembership(ctx);
  ctx.joining = new Set(ctx.membership.joins.map((j) => j.host.name));
  ctx.staying = hosts.filter((h) => !ctx.joining.has(h.name) && h.node !== undefined && !h.dead);
  ctx.mode = modeOf(ctx);
  return ctx;
}

function modeOf(ctx: PlanContext): PlanMode {
  if (ctx.options.reset) return 'reset';
  if (!ctx.clusterExists) return ctx.leader ? 'create' : 'degraded';
  const quorum = new EtcdQuorum(ctx.membership.etcdMembers, ctx.membership.etcdHealthy);
  return ctx.leader === null || quorum.lost ? 'degraded' : 'reconcile';
}

/**
 * The control plane cluster-level steps run against, as the planner chooses it (see
 * chooseLeader); null when none can be found. The executor acts through the same host.
 */
export function leaderOf(desired: DesiredState, snapshot: Snapshot): string | null {
  return buildContext(desired, snapshot, { now: '' }).leader?.name ?? null;
}

/** Built on first use: the probe normally matched everything already. */
function matcher(desired: DesiredState, facts: Map<string, HostFacts>): (name: string, addresses: string[]) => string | null {
  let byName: Map<string, string> | undefined;
  let byAddress: Map<string, string> | undefined;
  return (name, addresses) => {
    if (!byName || !byAddress) {
      byName = new Map();
      byAddress = new Map();
      for (const h of desired.cluster.hosts) {
        const f = facts.get(h.name);
        for (const key of [h.name, h.config.hostname, f?.hostname]) if (key) byName.set(key, h.name);
        for (const addr of [h.config.privateAddress, f?.privateAddress]) if (addr) byAddress.set(addr, h.name);
      }
    }
    const index = byAddress;
    return byName.get(name) ?? addresses.map((a) => index.get(a)).find((h) => h !== undefined) ?? null;
  };
}

/**
 * Fresh cluster: the host marked isLeader, else the first control plane. Existing cluster:
 * the control plane whose apiserver answered the probe, else the first healthy initialized one.
 */
function chooseLeader(kube: ClusterFacts | null, cps: HostView[], clusterExists: boolean): HostView | null {
  if (!clusterExists) return cps.find((h) => h.config.isLeader) ?? cps[0] ?? null;
  if (kube === null) return null;
  const answered = cps.find((h) => h.name === kube.leader && !h.dead);
  if (answered) return answered;
  if (kube.leader === null) return null;
  return cps.find((h) => h.cpInitialized && h.reachable && !h.dead && h.node?.ready) ?? null;
}

/** Managed files whose desired hash differs from (or is missing in) the host's observed ones. */
export function driftedFiles(ctx: PlanContext, host: HostView, group: FileGroup): string[] {
  const desired = ctx.desired.managedFiles[host.name];
  if (!desired) return [];
  const observed = host.facts?.managedFiles ?? {};
  // Made at the first drifted file: every host of a converged cluster is checked at every plan.
  let drifted: string[] | undefined;
  for (const path in desired) {
    if (fileGroupOf(path) !== group) continue;
    const seen = observed[path];
    if (!seen || !seen.exists || seen.sha256 !== desired[path]) (drifted ??= []).push(path);
  }
  return drifted === undefined ? [] : drifted.length > 1 ? drifted.sort() : drifted;
}

export function describeFileDrift(ctx: PlanContext, host: HostView, path: string): string {
  const seen = host.facts?.managedFiles?.[path];
  if (!seen || !seen.exists) return `${path} is missing on ${host.name}`;
  return `${path} on ${host.name} has sha256 ${seen.sha256.slice(0, 12)}, the manifest renders ${ctx.desired.managedFiles[host.name][path].slice(0, 12)}`;
}

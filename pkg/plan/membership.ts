// Who is in the cluster, who must (re)join, what must leave, and the etcd quorum arithmetic
// that decides the order of membership changes.
import type { EtcdMemberFacts, HostFacts, NodeFacts } from '../snapshot/types.js';
import type { PlanContext } from './context.js';
import type { HostView } from './host-state.js';
import { nodeNameOf } from './kinds/steps.js';

export interface JoinNeed {
  host: HostView;
  reason: string;
  /** A Node and/or etcd member left from the host's previous life, removed before it joins. */
  staleNode: NodeFacts | undefined;
  staleMember: EtcdMemberFacts | undefined;
}

/** Something in the cluster that no manifest host accounts for. */
export interface Stray {
  name: string;
  node: NodeFacts | undefined;
  member: EtcdMemberFacts | undefined;
  facts: HostFacts | undefined;
}

export interface Membership {
  joins: JoinNeed[];
  strays: Stray[];
  /** Voting etcd members and how many of them are alive. */
  etcdMembers: number;
  etcdHealthy: number;
}

/** Nodes created by machine-controller (dynamic workers) are not static hosts: never strays. */
function isMachineNode(node: NodeFacts): boolean {
  return Object.keys(node.annotations).some((k) => k === 'cluster.k8s.io/machine' || k === 'machine.k8s.io/machine');
}

export function isDeadMember(member: EtcdMemberFacts, node: NodeFacts | undefined): boolean {
  return member.healthy === false && (node === undefined || !node.ready);
}

export function analyzeMembership(ctx: PlanContext): Membership {
  const kube = ctx.kube;
  const members = (kube?.etcdMembers ?? []).filter((m) => !m.isLearner);
  const nodesByName = new Map((kube?.nodes ?? []).map((n) => [n.name, n]));
  const ownerOf = new Map(ctx.hosts.filter((h) => h.etcdMember).map((h) => [h.etcdMember!, h]));
  const etcdHealthy = members.filter((m) => !isDeadMember(m, ownerOf.get(m)?.node ?? nodesByName.get(m.name))).length;
  const joins: JoinNeed[] = [];
  for (const h of ctx.hosts) {
    const join = h.reachable ? joinNeed(ctx, h, members.length > 0) : null;
    if (join) joins.push(join);
  }
  return {
    joins,
    strays: findStrays(ctx),
    etcdMembers: members.length,
    etcdHealthy,
  };
}

function joinNeed(ctx: PlanContext, host: HostView, etcdObserved: boolean): JoinNeed | null {
  const node = host.node;
  const member = host.etcdMember;
  const nodeName = nodeNameOf(host);
  const list = host.role === 'controlPlane' ? 'controlPlane.hosts' : 'staticWorkers.hosts';
  if (!ctx.clusterExists) return ctx.leader?.name === host.name ? null : need(host, `${host.name} is in ${list}; the cluster is being created`);
  // Without the API nothing is known about Nodes and members: only hosts that never joined count.
  if (ctx.kube === null) return host.joined || host.cpInitialized ? null : need(host, `${host.name} is in ${list} but has no kubelet.conf`);
  if (host.dead) {
    return need(
      host,
      `etcd member ${member!.name} is unhealthy and Node ${nodeName} is ${node ? 'NotReady' : 'missing'}; ${host.name} rejoins as a replacement`,
    );
  }
  if (!host.joined && !node) return need(host, `${host.name} is in ${list} but has no Node and no kubelet.conf`);
  if (!host.joined) return need(host, `Node ${nodeName} exists but ${host.name} has no kubelet.conf (a fresh replacement host)`);
  if (!node) return need(host, `${host.name} has kubelet.conf but there is no Node ${nodeName} in the cluster`);
  if (host.role === 'controlPlane' && etcdObserved && !member) {
    return need(host, `${host.name} is a control plane but has no etcd member`);
  }
  return null;
}

/** The host joins: its Node and etcd member, if any, are left from its previous life. */
function need(host: HostView, reason: string): JoinNeed {
  return { host, reason, staleNode: host.node, staleMember: host.etcdMember };
}

function findStrays(ctx: PlanContext): Stray[] {
  const kube = ctx.kube;
  if (!kube) return [];
  const strays = new Map<string, Stray>();
  const entry = (name: string): Stray => {
    let s = strays.get(name);
    if (!s) strays.set(name, (s = { name, node: undefined, member: undefined, facts: undefined }));
    return s;
  };
  const ownedNodes = new Set(ctx.hosts.map((h) => h.node));
  const ownedMembers = new Set(ctx.hosts.map((h) => h.etcdMember));
  for (const node of kube.nodes) if (!ownedNodes.has(node) && !isMachineNode(node)) entry(node.name).node = node;
  for (const member of kube.etcdMembers) if (!ownedMembers.has(member)) entry(member.name).member = member;
  for (const facts of ctx.strayFacts) {
    const match = [...strays.values()].find(
      (s) => s.name === facts.name || s.name === facts.hostname || (facts.privateAddress !== '' && s.node?.internalIP === facts.privateAddress),
    );
    if (match) match.facts = facts;
    else if (facts.reachable && facts.kubelet?.kubeconfig) entry(facts.name).facts = facts;
  }
  return [...strays.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** etcd needs a majority of voting members alive; this tracks it through a sequence of changes. */
export class EtcdQuorum {
  constructor(
    private members: number,
    private healthy: number,
  ) {}

  static quorumOf(members: number): number {
    return Math.floor(members / 2) + 1;
  }

  get lost(): boolean {
    return this.members > 0 && this.healthy < EtcdQuorum.quorumOf(this.members);
  }

  describe(): string {
    return `${this.healthy} of ${this.members} etcd members healthy, quorum needs ${EtcdQuorum.quorumOf(this.members)}`;
  }

  /** Removing a member; null when safe (and applied), else why not. */
  remove(healthy: boolean): string | null {
    const members = this.members - 1;
    const alive = healthy ? this.healthy - 1 : this.healthy;
    if (this.lost) return `etcd has no quorum (${this.describe()})`;
    if (members < 1) return 'removing the last etcd member destroys the cluster';
    if (alive < EtcdQuorum.quorumOf(members)) return `after the removal ${alive} of ${members} members would be healthy`;
    this.members = members;
    this.healthy = alive;
    return null;
  }

  /**
   * Adding a member. kubeadm joins etcd members as learners (non-voting until in sync), so a
   * join never lowers the healthy majority by itself; it must not start without quorum, and
   * once promoted the member must leave a healthy majority (dead members are removed first).
   */
  add(): string | null {
    if (this.lost) return `etcd has no quorum (${this.describe()})`;
    if (this.healthy + 1 < EtcdQuorum.quorumOf(this.members + 1)) {
      return `after the join ${this.healthy + 1} of ${this.members + 1} members would be healthy`;
    }
    this.members += 1;
    this.healthy += 1;
    return null;
  }
}

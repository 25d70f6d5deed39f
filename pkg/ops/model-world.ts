// The in-memory model of a cluster that step ops act on in the planner's model test (plan,
// apply every step's modelled effect, plan again: nothing is left). Each op's `model` says
// what it changes here, as the next probe would observe it; this class holds the state and
// the effects several ops share (init, join, reset).
import { type FileGroup, fileGroupOf } from '../desired/file-groups.js';
import type { DesiredState } from '../plan/types.js';
import { certSANsOf } from '../kubeadm/cluster-configuration.js';
import { sanEntry } from '../kubeadm/cert-sans.js';
import { nodeNameOf } from '../kubeadm/node-configuration.js';
import type { ClusterFacts, HostFacts, NodeFacts } from '../snapshot/types.js';
import { sha256Hex } from '../api/sha256.js';

export interface ModelOptions {
  /** What a certificate renewal (or a control-plane upgrade) sets the earliest expiry to. */
  renewedExpiry?: string;
}

const RUNNING = { installed: true, active: 'active', sub: 'running', enabled: true } as const;

/** Components whose start the planner compares with their input files (HostFacts.inputsModified). */
const RESTARTED = ['kube-apiserver', 'kube-controller-manager'];

export class ModelWorld {
  /** A logical clock for modification and start times: every effect happens after the last. */
  private clock = 0;

  constructor(
    readonly hosts: HostFacts[],
    public kube: ClusterFacts | null,
    readonly desired: DesiredState,
    readonly opts: ModelOptions = {},
  ) {}

  get renewedExpiry(): string {
    return this.opts.renewedExpiry ?? '2099-01-01T00:00:00Z';
  }

  /** The facts of the host a step runs on; steps on unknown or unreachable hosts are planner bugs. */
  host(name: string | undefined): HostFacts {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`model: step on unknown host ${name}`);
    if (!h.reachable) throw new Error(`model: step on unreachable host ${name}`);
    return h;
  }

  node(name: string): NodeFacts | undefined {
    return this.kube?.nodes.find((n) => n.name === name);
  }

  /** The next instant (ISO 8601), later than every time in a test snapshot. */
  tick(): string {
    return new Date(Date.UTC(2030, 0, 1) + ++this.clock * 1000).toISOString();
  }

  /** The host's control-plane components (or the named ones) started now. */
  restarted(h: HostFacts, components: readonly string[] = RESTARTED): void {
    if (!this.kube) return;
    this.kube.started ??= {};
    const at = this.tick();
    for (const c of components) (this.kube.started[c] ??= {})[h.name] = at;
  }

  /** A control-plane input file on the host changed now. */
  touched(h: HostFacts, path: string): void {
    (h.inputsModified ??= {})[path] = this.tick();
  }

  /**
   * kubeadm rendered the host's static pods from the cluster's ClusterConfiguration (init, join,
   * `upgrade node` after an upload): the apiserver's encryption flag follows it, the pods restart.
   */
  rerendered(h: HostFacts): void {
    const config = this.kube?.clusterConfiguration ?? this.desired.clusterConfiguration;
    const apiServer = (config.apiServer ?? {}) as { extraArgs?: { name: string; value: string }[] };
    const flag = (apiServer.extraArgs ?? []).find((a) => a.name === 'encryption-provider-config')?.value ?? '';
    if (flag || h.encryption) {
      h.encryption ??= { flag: '', files: {} };
      h.encryption.flag = flag;
      if (!flag && Object.keys(h.encryption.files).length === 0) delete h.encryption;
    }
    this.restarted(h);
  }

  /** The host now has the desired bytes of every file of the group. */
  writeFiles(h: HostFacts, group: FileGroup): void {
    const want = this.desired.managedFiles[h.name] ?? {};
    h.managedFiles ??= {};
    for (const [path, hash] of Object.entries(want)) {
      if (fileGroupOf(path) !== group) continue;
      const changed = h.managedFiles[path]?.sha256 !== hash;
      h.managedFiles[path] = { exists: true, sha256: hash };
      if (changed && group === 'control-plane') this.touched(h, path);
    }
  }

  init(h: HostFacts, version: string): void {
    h.kubelet = { ...h.kubelet!, kubeconfig: true, unit: { ...RUNNING } };
    this.makeControlPlane(h, version);
    this.kube = {
      leader: h.name,
      apiserverHealthy: { [h.name]: true },
      nodes: [],
      etcdMembers: [],
      components: {},
      clusterConfiguration: structuredClone(this.desired.clusterConfiguration),
      addonObjects: [],
      helmReleases: [],
    };
    this.addNode(h);
    this.addMember(h);
    this.rerendered(h);
  }

  join(h: HostFacts, controlPlane: boolean): void {
    if (!this.kube) throw new Error(`model: join of ${h.name} without a cluster`);
    h.kubelet = { ...h.kubelet!, kubeconfig: true, unit: { ...RUNNING } };
    this.addNode(h);
    if (controlPlane) {
      this.makeControlPlane(h, h.kubeadm!.version);
      this.addMember(h);
      this.rerendered(h);
    }
  }

  reset(h: HostFacts): void {
    h.kubelet = { ...h.kubelet!, kubeconfig: false };
    h.adminConf = false;
    h.staticPods = {};
    for (const path of Object.keys(h.managedFiles ?? {})) if (fileGroupOf(path) === 'kubelet') delete h.managedFiles![path];
    if (this.kube) {
      // kubeadm reset on a control plane removes its own etcd member.
      this.kube.etcdMembers = this.kube.etcdMembers.filter((m) => m.host !== h.name);
      if (!this.hosts.some((x) => x.adminConf)) this.kube = null;
    }
  }

  private makeControlPlane(h: HostFacts, version: string): void {
    h.adminConf = true;
    h.staticPods = { 'kube-apiserver': version, 'kube-controller-manager': version, 'kube-scheduler': version, etcd: '3.6.4-0' };
    h.certsEarliestExpiry = this.renewedExpiry;
    // kubeadm issues the serving certificate with the configuration's certSANs.
    h.apiserverSans = certSANsOf(this.desired.cluster.cluster, this.desired.cluster.hosts).map(sanEntry).sort();
  }

  private addNode(h: HostFacts): void {
    const host = this.desired.cluster.hosts.find((x) => x.name === h.name);
    const name = host ? nodeNameOf(host) : h.name;
    this.kube!.nodes = this.kube!.nodes.filter((n) => n.name !== name);
    this.kube!.nodes.push({
      name,
      kubeletVersion: h.kubelet!.version,
      containerRuntimeVersion: `containerd://${h.containerd?.version ?? ''}`,
      ready: true,
      unschedulable: false,
      labels: {},
      taints: Array.isArray(host?.config.taints) ? structuredClone(host.config.taints) : [],
      annotations: {},
      internalIP: h.privateAddress,
      host: h.name,
    });
  }

  private addMember(h: HostFacts): void {
    this.kube!.etcdMembers.push({
      id: sha256Hex(`member ${h.name} ${this.kube!.etcdMembers.length}`).slice(0, 16),
      name: h.name,
      peerURLs: [`https://${h.privateAddress}:2380`],
      clientURLs: [`https://${h.privateAddress}:2379`],
      isLearner: false,
      healthy: true,
      host: h.name,
    });
  }
}

/** kubectl-style map changes: `key-` removes the key, anything else sets it. */
export function applyMapChanges(target: Record<string, string>, changes: Record<string, string> | undefined): void {
  for (const [key, value] of Object.entries(changes ?? {})) {
    if (key.endsWith('-')) delete target[key.slice(0, -1)];
    else target[key] = value;
  }
}

// An in-memory model of the executor: applies each step's effect to a copy of the snapshot,
// as the probe would observe it afterwards. Used by the model test (plan, apply, plan again
// must be empty) and handy for executor tests that want an expected end state.
import type { ClusterFacts, HostFacts, NodeFacts, Snapshot } from '../../snapshot/types.js';
import { isContainerdPath, isKubeletPath } from '../context.js';
import type { DesiredState, Plan, Step } from '../types.js';
import { sha256, withHash } from './snapshot-builder.js';

export interface ModelOptions {
  /** What `kubeadm.certs.renew` sets the earliest expiry to. */
  renewedExpiry?: string;
}

export function applyPlan(plan: Plan, snapshot: Snapshot, desired: DesiredState, opts: ModelOptions = {}): Snapshot {
  const state = structuredClone(snapshot.state);
  const model = new Model(state.hosts, state.kube, desired, opts);
  for (const action of plan.actions) for (const s of action.steps) model.run(s);
  state.kube = model.kube;
  return withHash({ ...snapshot, state });
}

class Model {
  constructor(
    private readonly hosts: HostFacts[],
    public kube: ClusterFacts | null,
    private readonly desired: DesiredState,
    private readonly opts: ModelOptions,
  ) {}

  private host(name: string | undefined): HostFacts {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`model: step on unknown host ${name}`);
    if (!h.reachable) throw new Error(`model: step on unreachable host ${name}`);
    return h;
  }

  private copyFiles(h: HostFacts, match: (path: string) => boolean): void {
    const want = this.desired.managedFiles[h.name] ?? {};
    h.managedFiles ??= {};
    for (const [path, hash] of Object.entries(want)) if (match(path)) h.managedFiles[path] = { exists: true, sha256: hash };
  }

  private node(name: unknown): NodeFacts | undefined {
    return this.kube?.nodes.find((n) => n.name === name);
  }

  private configOf(name: string) {
    return this.desired.cluster.hosts.find((h) => h.name === name);
  }

  run(s: Step): void {
    const p = (s.params ?? {}) as Record<string, any>;
    switch (s.op) {
      case 'host.prerequisites': {
        const h = this.host(s.host);
        h.swapOn = false;
        h.prerequisites = { modules: true, sysctls: true, swapDisabledPersistently: true };
        return;
      }
      case 'host.containerd.install': {
        const h = this.host(s.host);
        h.containerd = { unit: { installed: true, active: 'active', sub: 'running', enabled: true }, version: '1.7.24', config: { exists: true, sha256: '' } };
        return;
      }
      case 'host.containerd.configure':
        return this.copyFiles(this.host(s.host), isContainerdPath);
      case 'host.binaries.install': {
        const h = this.host(s.host);
        for (const c of p.components as string[]) {
          if (c === 'kubelet') h.kubelet = { ...h.kubelet!, version: p.version, unit: { ...h.kubelet!.unit, installed: true } };
          if (c === 'kubeadm') h.kubeadm = { version: p.version };
          if (c === 'kubectl') h.kubectl = { version: p.version };
        }
        h.binaries = { origin: 'bundle', version: p.version };
        return;
      }
      case 'host.binaries.remove': {
        const h = this.host(s.host);
        h.kubeadm = { version: '' };
        h.kubectl = { version: '' };
        h.kubelet = { ...h.kubelet!, version: '' };
        h.binaries = { origin: 'none', version: '' };
        return;
      }
      case 'host.kubelet.configure':
        return this.copyFiles(this.host(s.host), isKubeletPath);
      case 'host.kubelet.restart': {
        const h = this.host(s.host);
        const node = this.kube?.nodes.find((n) => n.host === h.name);
        if (node) node.kubeletVersion = h.kubelet!.version;
        return;
      }
      case 'kubeadm.init':
        return this.init(this.host(s.host), p.version);
      case 'kubeadm.join':
        return this.join(this.host(s.host), p.controlPlane === true);
      case 'kubeadm.upgrade.apply':
      case 'kubeadm.upgrade.node': {
        const h = this.host(s.host);
        if (h.adminConf && !p.reconfigure) for (const pod of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) h.staticPods![pod] = p.version;
        if (p.reconfigure && this.kube) this.kube.clusterConfiguration = structuredClone(this.desired.clusterConfiguration);
        if (h.adminConf && !p.reconfigure) h.certsEarliestExpiry = this.opts.renewedExpiry ?? '2099-01-01T00:00:00Z';
        return;
      }
      case 'kubeadm.reset':
        return this.reset(this.host(s.host));
      case 'kubeadm.certs.renew': {
        const h = this.host(s.host);
        h.certsEarliestExpiry = this.opts.renewedExpiry ?? '2099-01-01T00:00:00Z';
        for (const k of Object.keys(h.certs ?? {})) h.certs![k] = h.certsEarliestExpiry;
        return;
      }
      case 'node.cordon':
      case 'node.uncordon': {
        const n = this.node(p.node);
        if (n) n.unschedulable = s.op === 'node.cordon';
        return;
      }
      case 'node.delete':
        if (this.kube) this.kube.nodes = this.kube.nodes.filter((n) => n.name !== p.node);
        return;
      case 'node.metadata': {
        const n = this.node(p.node);
        if (!n) throw new Error(`model: node.metadata on missing node ${p.node}`);
        applyMap(n.labels, p.labels);
        applyMap(n.annotations, p.annotations);
        if (p.taints) n.taints = structuredClone(p.taints);
        return;
      }
      case 'etcd.member.remove':
        if (this.kube) this.kube.etcdMembers = this.kube.etcdMembers.filter((m) => m.id !== p.memberId);
        return;
      case 'addon.apply': {
        const addon = this.desired.addons?.find((a) => a.name === p.addon);
        for (const ref of p.objects as { kind: string; namespace: string; name: string }[]) {
          const want = addon?.objects.find((o) => o.kind === ref.kind && o.namespace === ref.namespace && o.name === ref.name);
          if (!want || !this.kube) throw new Error(`model: addon.apply of an object that is not rendered`);
          this.kube.addonObjects = this.kube.addonObjects.filter((o) => !(o.kind === ref.kind && o.namespace === ref.namespace && o.name === ref.name));
          this.kube.addonObjects.push({ addon: addon!.name, ...structuredClone(want) });
        }
        return;
      }
      case 'addon.prune': {
        const refs = p.objects as { kind: string; namespace: string; name: string }[];
        if (this.kube) {
          this.kube.addonObjects = this.kube.addonObjects.filter(
            (o) => !(o.addon === p.addon && refs.some((r) => r.kind === o.kind && r.namespace === o.namespace && r.name === o.name)),
          );
        }
        return;
      }
      case 'kubeadm.config.render':
      case 'pki.distribute':
      case 'node.drain':
      case 'node.waitReady':
        return;
    }
  }

  private init(h: HostFacts, version: string): void {
    h.kubelet = { ...h.kubelet!, kubeconfig: true, unit: { installed: true, active: 'active', sub: 'running', enabled: true } };
    this.makeControlPlane(h, version);
    this.kube = {
      leader: h.name,
      apiserverHealthy: { [h.name]: true },
      nodes: [],
      etcdMembers: [],
      components: {},
      clusterConfiguration: structuredClone(this.desired.clusterConfiguration),
      addonObjects: [],
    };
    this.addNode(h);
    this.addMember(h);
  }

  private join(h: HostFacts, controlPlane: boolean): void {
    if (!this.kube) throw new Error(`model: join of ${h.name} without a cluster`);
    h.kubelet = { ...h.kubelet!, kubeconfig: true, unit: { installed: true, active: 'active', sub: 'running', enabled: true } };
    this.addNode(h);
    if (controlPlane) {
      this.makeControlPlane(h, h.kubeadm!.version);
      this.addMember(h);
    }
  }

  private makeControlPlane(h: HostFacts, version: string): void {
    h.adminConf = true;
    h.staticPods = { 'kube-apiserver': version, 'kube-controller-manager': version, 'kube-scheduler': version, etcd: '3.6.4-0' };
    h.certsEarliestExpiry = this.opts.renewedExpiry ?? '2099-01-01T00:00:00Z';
  }

  private addNode(h: HostFacts): void {
    const config = this.configOf(h.name)?.config;
    this.kube!.nodes = this.kube!.nodes.filter((n) => n.name !== h.name);
    this.kube!.nodes.push({
      name: config?.hostname ?? h.name,
      kubeletVersion: h.kubelet!.version,
      containerRuntimeVersion: `containerd://${h.containerd?.version ?? ''}`,
      ready: true,
      unschedulable: false,
      labels: {},
      taints: Array.isArray(config?.taints) ? structuredClone(config.taints) : [],
      annotations: {},
      internalIP: h.privateAddress,
      host: h.name,
    });
  }

  private addMember(h: HostFacts): void {
    this.kube!.etcdMembers.push({
      id: sha256(`member ${h.name} ${this.kube!.etcdMembers.length}`).slice(0, 16),
      name: h.name,
      peerURLs: [`https://${h.privateAddress}:2380`],
      clientURLs: [`https://${h.privateAddress}:2379`],
      isLearner: false,
      healthy: true,
      host: h.name,
    });
  }

  private reset(h: HostFacts): void {
    h.kubelet = { ...h.kubelet!, kubeconfig: false };
    h.adminConf = false;
    h.staticPods = {};
    for (const path of Object.keys(h.managedFiles ?? {})) if (isKubeletPath(path)) delete h.managedFiles![path];
    if (this.kube) {
      // kubeadm reset on a control plane removes its own etcd member.
      this.kube.etcdMembers = this.kube.etcdMembers.filter((m) => m.host !== h.name);
      if (!this.hosts.some((x) => x.adminConf)) this.kube = null;
    }
  }
}

function applyMap(target: Record<string, string>, changes: Record<string, string> | undefined): void {
  for (const [key, value] of Object.entries(changes ?? {})) {
    if (key.endsWith('-')) delete target[key.slice(0, -1)];
    else target[key] = value;
  }
}

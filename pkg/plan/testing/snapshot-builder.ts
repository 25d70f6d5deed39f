// Fluent builder of snapshots for tests (planner, executor, views); desired states are in desired-builder.ts.
// Everything is plain data: a built snapshot is what the probe would have produced.
import type { HostRole } from '../../api/types.js';
import type {
  AddonObjectFacts,
  ClusterFacts,
  EtcdMemberFacts,
  HostErrorKind,
  HostFacts,
  NodeFacts,
  Snapshot,
} from '../../snapshot/types.js';
import { canonicalJson } from '../../api/canonical-json.js';
import type { RenderedAddon } from '../types.js';

export { sha256, standardFiles, CONTAINERD_CONFIG, KUBELET_CONFIG, KUBELET_FLAGS } from './files.js';
import { OPERATING_SYSTEM_LABEL } from '../kinds/sync-node-metadata.js';
import { sha256, standardFiles } from './files.js';

export class HostBuilder {
  readonly facts: HostFacts;
  constructor(name: string, id: number, role: HostRole) {
    this.facts = {
      name,
      id,
      role,
      address: `127.0.0.1:${2200 + id}`,
      privateAddress: `10.0.0.${10 + id}`,
      reachable: true,
      hostname: name,
      os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
      kernel: '6.1.0',
      arch: 'amd64',
      cpus: 2,
      memoryMiB: 4096,
      swapOn: true,
      prerequisites: { modules: false, sysctls: false, swapDisabledPersistently: false },
      containerd: { unit: unit(false), version: '', config: { exists: false, sha256: '' } },
      kubelet: {
        unit: unit(false),
        version: '',
        flags: { exists: false, sha256: '' },
        config: { exists: false, sha256: '' },
        kubeconfig: false,
      },
      kubeadm: { version: '' },
      kubectl: { version: '' },
      binaries: { origin: 'none', version: '' },
      adminConf: false,
      staticPods: {},
      certsEarliestExpiry: '',
      certs: {},
      managedFiles: {},
      inflight: null,
      lock: null,
    };
  }

  prerequisites(): this {
    this.facts.swapOn = false;
    this.facts.prerequisites = { modules: true, sysctls: true, swapDisabledPersistently: true };
    return this;
  }

  containerd(version = '1.7.24'): this {
    this.facts.containerd = { unit: unit(true, true), version, config: { exists: true, sha256: '' } };
    return this;
  }

  binaries(version: string): this {
    const f = this.facts;
    f.kubeadm = { version };
    f.kubectl = { version };
    f.kubelet = { ...f.kubelet!, unit: unit(true, f.kubelet!.kubeconfig), version };
    f.binaries = { origin: 'bundle', version };
    return this;
  }

  /** kubelet.conf present and kubelet running. */
  joined(): this {
    this.facts.kubelet = { ...this.facts.kubelet!, unit: unit(true, true), kubeconfig: true };
    return this;
  }

  controlPlane(version: string, certsExpiry = '2027-09-01T00:00:00Z'): this {
    this.facts.adminConf = true;
    this.facts.staticPods = {
      'kube-apiserver': version,
      'kube-controller-manager': version,
      'kube-scheduler': version,
      etcd: '3.6.4-0',
    };
    this.facts.certsEarliestExpiry = certsExpiry;
    this.facts.certs = { 'apiserver.crt': certsExpiry, 'front-proxy-client.crt': certsExpiry };
    return this;
  }

  files(files: Record<string, string>): this {
    for (const [path, hash] of Object.entries(files)) this.facts.managedFiles![path] = { exists: true, sha256: hash };
    return this;
  }

  unreachable(kind: HostErrorKind = 'unreachable'): this {
    const { name, id, role, address, privateAddress } = this.facts;
    for (const key of Object.keys(this.facts)) delete (this.facts as unknown as Record<string, unknown>)[key];
    Object.assign(this.facts, { name, id, role, address, privateAddress, reachable: false, error: { kind, message: `dial tcp ${address}: connection refused` } });
    return this;
  }
}

function unit(installed: boolean, active = false): NonNullable<HostFacts['containerd']>['unit'] {
  return { installed, active: active ? 'active' : 'inactive', sub: active ? 'running' : 'dead', enabled: installed };
}

export interface ConvergedHostOptions {
  version: string;
  files?: Record<string, string>;
  ready?: boolean;
  labels?: Record<string, string>;
}

export class SnapshotBuilder {
  private readonly hosts: HostBuilder[] = [];
  private kube: ClusterFacts | null = null;

  constructor(private readonly clusterName = 'demo') {}

  /** A host as the probe sees it (fresh by default: swap on, nothing installed); `configure` refines it. */
  host(name: string, role: HostRole, configure: (h: HostBuilder) => unknown = () => undefined): this {
    const h = new HostBuilder(name, this.hosts.length, role);
    configure(h);
    this.hosts.push(h);
    return this;
  }

  /** A fully installed host that has joined at `version`, with its Node (and etcd member for control planes). */
  convergedHost(name: string, role: HostRole, opts: ConvergedHostOptions): this {
    this.host(name, role, (h) => {
      h.prerequisites().containerd().binaries(opts.version).joined().files(opts.files ?? standardFiles(name));
      if (role === 'controlPlane') h.controlPlane(opts.version);
    });
    // A converged Node carries the operating-system label KubeOne (and kubeone) sets.
    const os = this.hosts.find((h) => h.facts.name === name)?.facts.os?.id;
    this.node(name, { version: opts.version, ready: opts.ready ?? true, labels: { ...(os ? { [OPERATING_SYSTEM_LABEL]: os } : {}), ...(opts.labels ?? {}) } });
    if (role === 'controlPlane') this.etcdMember(name, { healthy: opts.ready ?? true });
    return this;
  }

  /** Makes the API reachable (kube non-null). */
  cluster(opts: { leader?: string | null; clusterConfiguration?: Record<string, unknown> | null } = {}): this {
    this.ensureKube();
    if (opts.leader !== undefined) this.kube!.leader = opts.leader;
    if (opts.clusterConfiguration !== undefined) this.kube!.clusterConfiguration = opts.clusterConfiguration;
    return this;
  }

  node(name: string, opts: Partial<NodeFacts> & { version?: string } = {}): this {
    const kube = this.ensureKube();
    const { version, ...rest } = opts;
    const index = this.hosts.findIndex((h) => h.facts.name === name);
    kube.nodes.push({
      name,
      kubeletVersion: version ?? '',
      containerRuntimeVersion: 'containerd://1.7.24',
      ready: true,
      unschedulable: false,
      labels: {},
      taints: [],
      annotations: {},
      internalIP: index >= 0 ? `10.0.0.${10 + index}` : '10.0.9.9',
      host: index >= 0 ? name : null,
      ...rest,
    });
    if (kube.leader === null && this.hosts[index]?.facts.role === 'controlPlane') kube.leader = name;
    return this;
  }

  etcdMember(name: string, opts: Partial<EtcdMemberFacts> = {}): this {
    const kube = this.ensureKube();
    const index = this.hosts.findIndex((h) => h.facts.name === name);
    kube.etcdMembers.push({
      id: sha256(`member ${name}`).slice(0, 16),
      name,
      peerURLs: [`https://10.0.0.${10 + index}:2380`],
      clientURLs: [`https://10.0.0.${10 + index}:2379`],
      isLearner: false,
      healthy: true,
      host: index >= 0 ? name : null,
      ...opts,
    });
    return this;
  }

  addonObjects(addon: RenderedAddon): this {
    const kube = this.ensureKube();
    for (const o of addon.objects) kube.addonObjects.push({ addon: addon.name, ...o });
    return this;
  }

  addonObject(o: AddonObjectFacts): this {
    this.ensureKube().addonObjects.push(o);
    return this;
  }

  /** Edits the facts of a host already added. */
  edit(name: string, edit: (facts: HostFacts) => void): this {
    const h = this.hosts.find((x) => x.facts.name === name);
    if (!h) throw new Error(`no host ${name}`);
    edit(h.facts);
    return this;
  }

  /** The machine behind a host was replaced: same name and address, nothing installed (Node and etcd member stay). */
  reinstall(name: string, configure: (h: HostBuilder) => unknown = () => undefined): this {
    const index = this.hosts.findIndex((x) => x.facts.name === name);
    if (index < 0) throw new Error(`no host ${name}`);
    const h = new HostBuilder(name, index, this.hosts[index].facts.role);
    configure(h);
    this.hosts[index] = h;
    return this;
  }

  editKube(edit: (kube: ClusterFacts) => void): this {
    edit(this.ensureKube());
    return this;
  }

  build(): Snapshot {
    const state = structuredClone({ cluster: this.clusterName, hosts: this.hosts.map((h) => h.facts), kube: this.kube });
    return withHash({
      formatVersion: 'kubeone.snapshot/v1',
      hash: '',
      state,
      meta: { tool: 'kubeone-ts test', probedAt: '2026-11-25T00:00:00Z', durationMs: 0 },
    });
  }

  private ensureKube(): ClusterFacts {
    this.kube ??= {
      leader: null,
      apiserverHealthy: {},
      nodes: [],
      etcdMembers: [],
      components: {},
      clusterConfiguration: null,
      addonObjects: [],
    };
    return this.kube;
  }
}

export function withHash(snapshot: Snapshot): Snapshot {
  return { ...snapshot, hash: sha256(canonicalJson(snapshot.state)) };
}

export * from './desired-builder.js';

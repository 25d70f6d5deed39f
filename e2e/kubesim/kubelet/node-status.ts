// Node registration, status updates (Ready follows the container runtime) and
// the node Lease heartbeat, as the kubelet does against the API server.
import * as os from 'node:os';
import { containerRuntimeVersion, osImage, readTrimmed } from '../common/host.js';
import { KubeError, type KubeClient, type KubeObject } from '../common/kube-client.js';
import type { KubeletOptions } from './options.js';

export const LEASE_DURATION_SECONDS = 40;

export function microTime(d = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function resources(maxPods: number): Record<string, string> {
  return {
    cpu: String(os.cpus().length),
    'ephemeral-storage': '61202244Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${Math.floor(os.totalmem() / 1024)}Ki`,
    pods: String(maxPods),
  };
}

export class NodeAgent {
  nodeUid?: string;
  registered = false;
  private readonly runtimeVersion = containerRuntimeVersion();
  private readonly transitions = new Map<string, string>();

  constructor(
    private readonly client: KubeClient,
    private readonly opts: KubeletOptions,
    private readonly kubeletVersion: string,
    private readonly log: (l: string) => void,
  ) {}

  private nodeInfo(): Record<string, string> {
    return {
      architecture: 'amd64',
      bootID: readTrimmed('/proc/sys/kernel/random/boot_id'),
      containerRuntimeVersion: this.runtimeVersion,
      kernelVersion: os.release(),
      kubeProxyVersion: '',
      kubeletVersion: this.kubeletVersion,
      machineID: readTrimmed('/etc/machine-id'),
      operatingSystem: 'linux',
      osImage: osImage(),
      systemUUID: readTrimmed('/sys/class/dmi/id/product_uuid') || readTrimmed('/etc/machine-id'),
    };
  }

  private conditions(ready: boolean, now: string): KubeObject[] {
    const cond = (type: string, status: string, reason: string, message: string): KubeObject => {
      const key = `${type}=${status}`;
      const prev = [...this.transitions.keys()].find((k) => k.startsWith(`${type}=`));
      if (prev !== key) {
        if (prev) this.transitions.delete(prev);
        this.transitions.set(key, now);
      }
      return { type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: this.transitions.get(key) };
    };
    return [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      ready
        ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
        : cond('Ready', 'False', 'KubeletNotReady', 'container runtime is down: containerd is not active'),
    ];
  }

  private status(ready: boolean): KubeObject {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      addresses: [
        { type: 'InternalIP', address: this.opts.nodeIP },
        { type: 'Hostname', address: this.opts.hostname },
      ],
      allocatable: resources(this.opts.maxPods),
      capacity: resources(this.opts.maxPods),
      conditions: this.conditions(ready, now),
      daemonEndpoints: { kubeletEndpoint: { Port: this.opts.port } },
      nodeInfo: this.nodeInfo(),
    };
  }

  /** POST the Node (or adopt the existing one), as kubelet's registerWithAPIServer. */
  async register(ready: boolean): Promise<void> {
    const name = this.opts.nodeName;
    const labels = {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': this.opts.hostname,
      'kubernetes.io/os': 'linux',
      ...this.opts.nodeLabels,
    };
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
      spec: this.opts.registerWithTaints.length ? { taints: this.opts.registerWithTaints } : {},
    };
    let created: KubeObject;
    try {
      created = await this.client.create('/api/v1/nodes', node);
      this.log(`Successfully registered node ${name}`);
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 409)) throw err;
      const existing = (await this.client.get(`/api/v1/nodes/${name}`))!;
      // Like the kubelet: keep the object, reconcile the labels it owns.
      created = await this.client.patch(`/api/v1/nodes/${name}`, { metadata: { labels } });
      this.log(`Node ${name} was previously registered (uid ${existing.metadata.uid})`);
    }
    this.nodeUid = created.metadata.uid;
    this.registered = true;
    await this.updateStatus(ready);
  }

  async updateStatus(ready: boolean): Promise<void> {
    const name = this.opts.nodeName;
    const current = await this.client.get(`/api/v1/nodes/${name}`);
    if (!current) {
      // Like the real kubelet: registration happens once per start; a deleted Node
      // comes back only when the kubelet restarts.
      throw new Error(`error getting node "${name}": nodes "${name}" not found`);
    }
    this.nodeUid = current.metadata.uid;
    current.status = { ...current.status, ...this.status(ready) };
    await this.client.update(`/api/v1/nodes/${name}/status`, current);
  }

  async renewLease(): Promise<void> {
    const name = this.opts.nodeName;
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`;
    const existing = await this.client.get(path);
    const spec = { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime() };
    if (existing) {
      await this.client.update(path, { ...existing, spec: { ...existing.spec, ...spec } });
      return;
    }
    await this.client.create('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease', ownerReferences: this.nodeUid ? [{ apiVersion: 'v1', kind: 'Node', name, uid: this.nodeUid }] : [] },
      spec,
    });
  }
}

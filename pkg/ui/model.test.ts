import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import { buildOverview, formatAge, type MachineObject, podRows } from './model.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

function node(name: string, opts: { cp?: boolean; ready?: 'True' | 'False' | 'Unknown'; ip?: string; cordoned?: boolean } = {}): V1Node {
  return {
    metadata: { name, labels: opts.cp ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
    spec: { unschedulable: opts.cordoned },
    status: {
      addresses: opts.ip ? [{ type: 'InternalIP', address: opts.ip }] : [],
      // Ready is not the last condition: the row must not depend on the order.
      conditions: [
        ...(opts.ready ? [{ type: 'Ready', status: opts.ready, lastHeartbeatTime: new Date(ago(30)) }] : []),
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: new Date(ago(5)) },
      ],
      nodeInfo: { kubeletVersion: 'v1.35.1' } as never,
    },
  };
}

describe('ui view model', () => {
  it('ages read as kubectl prints them', () => {
    expect(formatAge(ago(45), NOW)).to.equal('45s');
    expect(formatAge(ago(119), NOW)).to.equal('119s');
    expect(formatAge(ago(600), NOW)).to.equal('10m');
    expect(formatAge(ago(5 * 3600), NOW)).to.equal('5h');
    expect(formatAge(ago(3 * 86400), NOW)).to.equal('3d');
    expect(formatAge(undefined, NOW)).to.equal('-');
    expect(formatAge(ago(-10), NOW)).to.equal('0s');
  });

  it('splits control planes from workers and gives each control plane its own health, matched by name or address', () => {
    const o = buildOverview({
      nodes: [node('w-1', { ready: 'True' }), node('cp-2', { cp: true, ready: 'False', ip: '10.0.0.2' }), node('cp-1', { cp: true, ready: 'True', cordoned: true }), node('cp-3', { cp: true })],
      health: [
        { names: ['cp-1'], addresses: ['10.0.0.1'], apiserver: true, etcd: true },
        // Matched by its address: the Node's name is not the manifest's.
        { names: ['control-2'], addresses: ['10.0.0.2'], apiserver: false, etcd: null },
      ],
      machines: null,
      now: NOW,
    });
    expect(o.controlPlanes.map((n) => [n.name, n.status, n.apiserver, n.etcd])).to.deep.equal([
      ['cp-1', 'Ready,SchedulingDisabled', 'healthy', 'healthy'],
      ['cp-2', 'NotReady', 'unhealthy', 'unknown'],
      ['cp-3', 'Unknown', 'unknown', 'unknown'],
    ]);
    expect(o.controlPlanes[0]).to.include({ heartbeat: '30s', version: 'v1.35.1' });
    expect(o.workers.map((n) => n.name)).to.deep.equal(['w-1']);
    expect(o.machineApi).to.equal(false);
    expect(o.machineDeployments).to.deep.equal([]);
  });

  it('a MachineDeployment carries the Machines of the MachineSets it owns, not those of another', () => {
    const md = (name: string, uid: string): MachineObject => ({
      metadata: { name, namespace: 'kube-system', uid, creationTimestamp: ago(7200) },
      spec: { replicas: 2, template: { spec: { versions: { kubelet: '1.35.1' } } } },
      status: { availableReplicas: 1 },
    });
    const ms = (uid: string, owner: string): MachineObject => ({ metadata: { name: uid, namespace: 'kube-system', uid, ownerReferences: [{ uid: owner }] } });
    const machine = (name: string, owner: string, extra: Partial<MachineObject> = {}): MachineObject => ({
      metadata: { name, namespace: 'kube-system', uid: `m-${name}`, creationTimestamp: ago(60), ownerReferences: [{ uid: owner }], ...extra.metadata },
      spec: { versions: { kubelet: '1.35.1' } },
      status: { nodeRef: { name: `node-${name}` }, addresses: [{ type: 'InternalIP', address: '10.1.0.1' }, { type: 'ExternalIP', address: '203.0.113.7' }] },
    });
    const o = buildOverview({
      nodes: [],
      health: [],
      machines: {
        machineDeployments: [md('pool-b', 'md-b'), md('pool-a', 'md-a')],
        machineSets: [ms('ms-a', 'md-a'), ms('ms-b', 'md-b')],
        machines: [machine('a-2', 'ms-a', { metadata: { deletionTimestamp: ago(1) } }), machine('b-1', 'ms-b'), machine('a-1', 'ms-a'), machine('stray', 'md-a')],
      },
      now: NOW,
    });
    expect(o.machineApi).to.equal(true);
    expect(o.machineDeployments.map((m) => m.name)).to.deep.equal(['pool-a', 'pool-b']);
    const a = o.machineDeployments[0]!;
    expect(a).to.include({ namespace: 'kube-system', replicas: 2, available: 1, kubelet: '1.35.1', age: '2h' });
    expect(a.machines).to.deep.equal([
      { namespace: 'kube-system', name: 'a-1', node: 'node-a-1', kubelet: '1.35.1', address: '203.0.113.7', age: '60s', deleting: false },
      { namespace: 'kube-system', name: 'a-2', node: 'node-a-2', kubelet: '1.35.1', address: '203.0.113.7', age: '60s', deleting: true },
    ]);
    expect(o.machineDeployments[1]!.machines.map((m) => m.name)).to.deep.equal(['b-1']);
  });

  it('pod rows: ready containers of all, restarts summed, Terminating while being deleted, sorted by namespace then name', () => {
    const pod = (namespace: string, name: string, extra: Partial<V1Pod> = {}): V1Pod => ({
      metadata: { namespace, name, creationTimestamp: new Date(ago(300)), ...extra.metadata },
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, restartCount: 2 } as never, { name: 'b', ready: false, restartCount: 1 } as never] },
    });
    const rows = podRows([pod('shop', 'web'), pod('kube-system', 'dns', { metadata: { deletionTimestamp: new Date(ago(1)) } }), pod('kube-system', 'api')], NOW);
    expect(rows.map((r) => `${r.namespace}/${r.name}`)).to.deep.equal(['kube-system/api', 'kube-system/dns', 'shop/web']);
    expect(rows[0]).to.deep.equal({ namespace: 'kube-system', name: 'api', phase: 'Running', ready: '1/2', restarts: 3, age: '5m' });
    expect(rows[1]!.phase).to.equal('Terminating');
  });
});

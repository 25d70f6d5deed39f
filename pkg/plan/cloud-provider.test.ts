// What an external cloud provider changes in the plan: the kubelet's uninitialized taint (the
// CCM removes it) and the node lifecycle controller's taints are never the manifest's business;
// on KubeVirt the Nodes carry the infra namespace; an addon that renders kinds another addon's
// CRDs define is applied after it.
import { expect } from 'chai';
import { computePlan } from './index.js';
import type { PlanOptions, RenderedAddon } from './types.js';
import { clusterConfiguration, desiredState, SnapshotBuilder } from './testing/snapshot-builder.js';
import { addon } from './testing/desired-builder.js';
import { emptyRecord } from '../ownership/record.js';

const NOW: PlanOptions = { now: '2026-11-25T00:00:00Z' };
const UNINITIALIZED = { key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' };
const CP_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

function converged(): SnapshotBuilder {
  return new SnapshotBuilder()
    .convergedHost('cp-1', 'controlPlane', { version: '1.35.1' })
    .convergedHost('w-1', 'staticWorker', { version: '1.35.1' })
    .cluster({ leader: 'cp-1', clusterConfiguration: clusterConfiguration() })
    .editKube((k) => (k.nodes.find((n) => n.name === 'cp-1')!.taints = [CP_TAINT]));
}

const desired = (hostConfig = {}) => desiredState({ version: '1.35.1', controlPlanes: ['cp-1'], workers: ['w-1'], hostConfig: { 'cp-1': { taints: [CP_TAINT] }, 'w-1': { taints: [] }, ...hostConfig } });

describe('plan with an external cloud provider', () => {
  it('the uninitialized taint the kubelet sets (until the CCM initializes the Node) is left alone', () => {
    const b = converged().editKube((k) => {
      k.nodes.find((n) => n.name === 'cp-1')!.taints = [CP_TAINT, UNINITIALIZED];
      k.nodes.find((n) => n.name === 'w-1')!.taints = [UNINITIALIZED, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }];
    });
    expect(computePlan(desired(), b.build(), NOW).actions.map((a) => a.id)).to.deep.equal([]);
  });

  it('a taint change adds the manifest\'s taint and leaves the controllers\' taints in place', () => {
    const b = converged().editKube((k) => (k.nodes.find((n) => n.name === 'w-1')!.taints = [UNINITIALIZED]));
    const plan = computePlan(desired({ 'w-1': { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } }), b.build(), NOW);
    const ids = plan.actions.map((a) => a.id).filter((id) => id !== 'record-ownership');
    expect(ids).to.deep.equal(['sync-node-metadata:w-1']);
    const params = plan.actions.find((a) => a.id === 'sync-node-metadata:w-1')!.steps[0]!.params as { taints: unknown[]; removeTaints?: unknown[] };
    expect(params.taints).to.deep.equal([{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    expect(params.removeTaints ?? []).to.deep.equal([]);
  });

  it('a taint the tool once set (ownership record) is removed when the manifest drops it; the uninitialized taint stays', () => {
    const b = converged().editKube((k) => {
      k.nodes.find((n) => n.name === 'w-1')!.taints = [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }, UNINITIALIZED];
      k.ownership = { ...emptyRecord(), nodes: { 'w-1': { labels: [], annotations: [], taints: ['dedicated:NoSchedule'] } } };
    });
    const plan = computePlan(desired(), b.build(), NOW);
    const params = plan.actions.find((a) => a.id === 'sync-node-metadata:w-1')!.steps[0]!.params as { removeTaints: unknown[] };
    expect(params.removeTaints).to.deep.equal([{ key: 'dedicated', effect: 'NoSchedule' }]);
  });

  it('KubeVirt: every Node is annotated with the infra namespace (its CSI node driver reads it), as KubeOne', () => {
    const want = desired();
    want.cluster.cluster.cloudProvider = { kubevirt: { infraNamespace: 'tenant-a' }, external: true };
    const plan = computePlan(want, converged().build(), NOW);
    expect(plan.actions.map((a) => a.id).filter((id) => id !== 'record-ownership')).to.deep.equal(['sync-node-metadata:cp-1', 'sync-node-metadata:w-1']);
    expect(plan.actions.find((a) => a.id === 'sync-node-metadata:w-1')!.steps[0]!.params).to.deep.include({ annotations: { 'cluster.x-k8s.io/cluster-namespace': 'tenant-a' } });
  });
});

describe('addons that render kinds of another addon\'s CRDs', () => {
  const crd: RenderedAddon = {
    name: 'snapshots',
    source: 'embedded',
    objects: [{
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', namespace: '', name: 'volumesnapshotclasses.snapshot.storage.k8s.io', hash: 'h1',
      object: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'volumesnapshotclasses.snapshot.storage.k8s.io' }, spec: { group: 'snapshot.storage.k8s.io', names: { kind: 'VolumeSnapshotClass' } } },
    }],
  };
  const user: RenderedAddon = {
    name: 'aaa-storage',
    source: 'embedded',
    objects: [
      ...addon('aaa-storage', [{ kind: 'ConfigMap', name: 'x' }]).objects,
      { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', namespace: '', name: 'default', hash: 'h2', object: { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'default' } } },
    ],
  };

  it('are applied after it, even when their name sorts first', () => {
    const plan = computePlan(desiredState({ version: '1.35.1', controlPlanes: ['cp-1'], workers: ['w-1'], addons: [user, crd] }), converged().build(), NOW);
    const ids = plan.actions.map((a) => a.id);
    expect(ids).to.deep.equal(['apply-addon:snapshots', 'apply-addon:aaa-storage']);
    expect(plan.actions[1]!.dependsOn).to.include('apply-addon:snapshots');
  });

  it('do not wait for it when its CRDs are already in the cluster', () => {
    const b = converged().addonObjects(crd);
    const plan = computePlan(desiredState({ version: '1.35.1', controlPlanes: ['cp-1'], workers: ['w-1'], addons: [user, crd] }), b.build(), NOW);
    expect(plan.actions.map((a) => a.id)).to.deep.equal(['apply-addon:aaa-storage']);
    expect(plan.actions[0]!.dependsOn).to.deep.equal([]);
  });
});

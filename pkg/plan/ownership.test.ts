// The planner on clusters it did not build (or only partly): owned vs unowned addon objects and
// Node metadata, the in-cluster record, and the upgrade that ends converged.
import { expect } from 'chai';
import { objectKey } from '../addons/normalize.js';
import { emptyRecord } from '../ownership/record.js';
import type { OwnershipRecord } from '../snapshot/types.js';
import { computePlan } from './index.js';
import { applyPlan } from './testing/apply-plan.js';
import { addon, clusterConfiguration, desiredState, SnapshotBuilder, standardFiles, type DesiredOptions } from './testing/snapshot-builder.js';
import type { Plan, PlanOptions, RenderedAddon } from './types.js';

const NOW: PlanOptions = { now: '2026-11-25T00:00:00Z', intermediateVersions: { '1.35': '1.35.1' } };
const ids = (plan: Plan): string[] => plan.actions.map((a) => a.id);
const RECORD = 'record-ownership:kube-system/kubeone-ownership';

const cni = addon('cni-canal', [{ kind: 'ConfigMap', name: 'canal-config' }, { kind: 'Deployment', name: 'calico-kube-controllers' }]);
const corednsPatch = addon('coredns-patch', [{ kind: 'Deployment', name: 'coredns' }]);
/** What KubeOne applied for an external cloud provider: labelled kubeone.io/addon=ccm-hetzner, a CRD among them. */
const ccm = addon('ccm-hetzner', [{ kind: 'Deployment', name: 'hcloud-cloud-controller-manager' }, { kind: 'ServiceAccount', name: 'hcloud' }]);
const ccmCrd = { addon: 'ccm-hetzner', apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', namespace: '', name: 'hcloudvolumes.example.test', hash: 'h' };

function desired(extra: Partial<DesiredOptions> = {}) {
  return desiredState({ version: '1.35.1', controlPlanes: ['cp-1'], workers: ['w-1'], addons: [cni, corednsPatch], ...extra });
}

/** A converged 1 + 1 cluster with `addons` live; `record`: the ownership record (null: none, as KubeOne leaves a cluster). */
function cluster(record: OwnershipRecord | null, addons: RenderedAddon[] = [cni, corednsPatch], version = '1.35.1'): SnapshotBuilder {
  const b = new SnapshotBuilder().convergedHost('cp-1', 'controlPlane', { version }).convergedHost('w-1', 'staticWorker', { version });
  b.cluster({ leader: 'cp-1', clusterConfiguration: clusterConfiguration() });
  for (const a of addons) b.addonObjects(a);
  return b.editKube((k) => (k.ownership = record));
}

/** The record kubeone writes for this cluster, with the objects of `addons`. */
function recordOf(...addons: RenderedAddon[]): OwnershipRecord {
  const record = emptyRecord();
  record.addons = Object.fromEntries(addons.map((a) => [a.name, a.objects.map(objectKey).sort()]));
  record.controlPlane.files = Object.keys(standardFiles('cp-1')).sort();
  return record;
}

describe('planner: ownership', () => {
  it('adopting a cluster KubeOne built: nothing of its addons is deleted, they are listed, and the record is written', () => {
    const snap = cluster(null, [cni, corednsPatch, ccm]).addonObject(ccmCrd).build();
    const plan = computePlan(desired(), snap, NOW);
    expect(ids(plan)).to.deep.equal([RECORD]);
    expect(plan.actions.flatMap((a) => a.objects ?? []).filter((o) => o.change === '-')).to.deep.equal([]);
    expect(plan.warnings).to.deep.equal([
      'unmanaged: 3 object(s) labelled kubeone.io/addon=ccm-hetzner (Deployment kube-system/hcloud-cloud-controller-manager, ServiceAccount kube-system/hcloud, CustomResourceDefinition hcloudvolumes.example.test) are not rendered from the manifest and were not applied by kubeone; they are left alone. To delete addon ccm-hetzner, add {name: "ccm-hetzner", delete: true} to addons.addons',
    ]);
    const record = plan.actions[0]!;
    expect(record.change).to.equal('+');
    expect(record.reason).to.equal(
      'ConfigMap kube-system/kubeone-ownership does not exist yet: it records what kubeone manages from now on (2 addon object(s), 3 control-plane file(s)); anything else in the cluster is left alone',
    );
    const written = (record.steps[0]!.params as { record: OwnershipRecord }).record;
    // The rendered addons' objects (kubeadm's CoreDNS, only patched, is not kubeone's); none of KubeOne's ccm.
    expect(written.addons).to.deep.equal({ 'cni-canal': cni.objects.map(objectKey).sort() });
    // Applying the plan converges: the second plan is empty (the unmanaged objects are still listed).
    const again = computePlan(desired(), applyPlan(plan, snap, desired()), NOW);
    expect(ids(again)).to.deep.equal([]);
    expect(again.warnings).to.have.length(1);
  });

  it('delete: true removes every labelled object of that addon, applied by kubeone or not, and nothing else', () => {
    const snap = cluster(recordOf(cni), [cni, corednsPatch, ccm]).addonObject(ccmCrd).build();
    const want = desired({ addons: [cni, corednsPatch] });
    want.addonDeletions = [{ name: 'ccm-hetzner', reason: 'addons.addons[0] has delete: true' }];
    const plan = computePlan(want, snap, NOW);
    expect(ids(plan)).to.deep.equal(['prune-addon:ccm-hetzner']);
    const prune = plan.actions[0]!;
    expect(prune.reason).to.equal('addons.addons[0] has delete: true: its 3 live object(s) labelled kubeone.io/addon=ccm-hetzner are deleted');
    expect(prune.objects!.map((o) => `${o.change} ${o.kind} ${o.name}`)).to.deep.equal([
      '- Deployment hcloud-cloud-controller-manager',
      '- ServiceAccount hcloud',
      '- CustomResourceDefinition hcloudvolumes.example.test',
    ]);
    expect(plan.warnings).to.deep.equal([]);
  });

  it('an addon kubeone applied and the manifest no longer enables is pruned; the record forgets it', () => {
    const metrics = addon('metrics-server', [{ kind: 'Deployment', name: 'metrics-server' }]);
    const snap = cluster(recordOf(cni, metrics), [cni, corednsPatch, metrics]).build();
    const plan = computePlan(desired(), snap, NOW);
    expect(ids(plan)).to.deep.equal(['prune-addon:metrics-server', RECORD]);
    expect(plan.actions[0]!.reason).to.match(/no longer enabled in the manifest .*kubeone applied its 1 live object\(s\) \(ownership record\)/);
    expect(plan.actions[1]!.dependsOn).to.deep.equal(['prune-addon:metrics-server']);
    expect(plan.actions[1]!.reason).to.equal('what kubeone manages changes: addon object(s) -1 (metrics-server/apps/Deployment/kube-system/metrics-server)');
    expect(ids(computePlan(desired(), applyPlan(plan, snap, desired()), NOW))).to.deep.equal([]);
  });

  it('a record that cannot be read: nothing is owned, nothing pruned, the record is left as it is', () => {
    const metrics = addon('metrics-server', [{ kind: 'Deployment', name: 'metrics-server' }]);
    const snap = cluster(null, [cni, corednsPatch, metrics])
      .editKube((k) => (k.ownershipError = 'ConfigMap kube-system/kubeone-ownership: record.json is not JSON'))
      .build();
    const plan = computePlan(desired(), snap, NOW);
    expect(ids(plan)).to.deep.equal([]);
    expect(plan.warnings.join('\n')).to.contain('record.json is not JSON: kubeone treats nothing as its own').and.contain('unmanaged: 1 object(s) labelled kubeone.io/addon=metrics-server');
  });

  it('node metadata: `key-` removes and converges; only what the manifest lists or kubeone applied is touched', () => {
    const want = desired({
      addons: [cni, corednsPatch],
      hostConfig: {
        'w-1': { labels: { zone: 'a', 'legacy-': '' }, annotations: { 'example.com/owner': 'team-a' }, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] },
      },
    });
    const record = recordOf(cni);
    record.nodes['w-1'] = { labels: ['tier'], annotations: [], taints: ['old:NoExecute'] };
    const snap = cluster(record)
      .editKube((k) => {
        const n = k.nodes.find((x) => x.name === 'w-1')!;
        // KubeOne's label, someone else's, a label the manifest removes, one kubeone set before.
        n.labels = { 'v1.kubeone.io/operating-system': 'debian', team: 'theirs', legacy: 'x', tier: 'gold' };
        n.taints = [{ key: 'theirs', effect: 'NoSchedule' }, { key: 'old', effect: 'NoExecute' }, { key: 'dedicated', value: 'web', effect: 'NoSchedule' }];
      })
      .build();
    const plan = computePlan(want, snap, NOW);
    expect(ids(plan)).to.deep.equal(['sync-node-metadata:w-1', RECORD]);
    expect(plan.actions[0]!.steps[0]!.params).to.deep.equal({
      node: 'w-1',
      labels: { zone: 'a', 'legacy-': '', 'tier-': '' },
      annotations: { 'example.com/owner': 'team-a' },
      taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }],
      removeTaints: [{ key: 'old', effect: 'NoExecute' }],
    });
    const after = applyPlan(plan, snap, want);
    const node = after.state.kube!.nodes.find((n) => n.name === 'w-1')!;
    expect(node.labels).to.deep.equal({ 'v1.kubeone.io/operating-system': 'debian', team: 'theirs', zone: 'a' });
    expect(node.taints).to.deep.equal([{ key: 'theirs', effect: 'NoSchedule' }, { key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    expect(after.state.kube!.ownership!.nodes['w-1']).to.deep.equal({ labels: ['zone'], annotations: ['example.com/owner'], taints: ['dedicated:NoSchedule'] });
    // The second apply is a no-op.
    expect(ids(computePlan(want, after, NOW))).to.deep.equal([]);
  });

  it("KubeOne's v1.kubeone.io/operating-system label: set from os-release (rocky is rockylinux) or operatingSystem, the manifest's own entry wins, never recorded as owned", () => {
    const OS = 'v1.kubeone.io/operating-system';
    const snap = cluster(recordOf(cni, corednsPatch))
      .edit('w-1', (h) => (h.os = { id: 'rocky', versionId: '9.4', prettyName: 'Rocky Linux 9.4' }))
      .editKube((k) => k.nodes.forEach((n) => delete n.labels[OS]))
      .build();
    const plan = computePlan(desired(), snap, NOW);
    expect(ids(plan)).to.deep.equal(['sync-node-metadata:cp-1', 'sync-node-metadata:w-1', RECORD]);
    expect(plan.actions.slice(0, 2).map((a) => a.steps[0]!.params)).to.deep.equal([
      { node: 'cp-1', labels: { [OS]: 'debian' }, annotations: {} },
      { node: 'w-1', labels: { [OS]: 'rockylinux' }, annotations: {} },
    ]);
    expect(plan.actions[1]!.reason).to.equal(`label ${OS} missing on w-1`);
    const after = applyPlan(plan, snap, desired());
    expect(ids(computePlan(desired(), after, NOW))).to.deep.equal([]);
    expect(after.state.kube!.ownership!.nodes['w-1']?.labels ?? []).to.not.include(OS);

    // operatingSystem in the manifest names the OS; a label entry for the key (value or `key-`) decides over both.
    const byManifest = (config: object) =>
      computePlan(desired({ hostConfig: { 'w-1': config } }), after, NOW)
        .actions.filter((a) => a.kind === 'sync-node-metadata')
        .flatMap((a) => a.steps.map((s) => s.params));
    expect(byManifest({ operatingSystem: 'rhel' })).to.deep.equal([{ node: 'w-1', labels: { [OS]: 'rhel' }, annotations: {} }]);
    expect(byManifest({ labels: { [OS]: 'custom' } })).to.deep.equal([{ node: 'w-1', labels: { [OS]: 'custom' }, annotations: {} }]);
    expect(byManifest({ labels: { [`${OS}-`]: '' } })).to.deep.equal([{ node: 'w-1', labels: { [`${OS}-`]: '' }, annotations: {} }]);
  });

  it('an upgrade that runs kubeadm upgrade apply applies coredns-patch again after it, so one apply converges', () => {
    const snap = cluster(recordOf(cni), [cni, corednsPatch], '1.34.3').build();
    const want = desiredState({ version: '1.36.0', controlPlanes: ['cp-1'], workers: ['w-1'], addons: [cni, corednsPatch] });
    const plan = computePlan(want, snap, NOW);
    const reapply = plan.actions.find((a) => a.id === 'apply-addon:coredns-patch')!;
    expect(reapply.reason).to.equal('kubeadm upgrade apply writes Deployment kube-system/coredns again: applied again after the upgrade');
    expect(reapply.dependsOn).to.deep.equal(['upgrade-control-plane:cp-1:1.36.0']);
    expect(ids(plan).indexOf('apply-addon:coredns-patch')).to.be.greaterThan(ids(plan).indexOf('upgrade-control-plane:cp-1:1.36.0'));
    expect(ids(computePlan(want, applyPlan(plan, snap, want), NOW))).to.deep.equal([]);
    // Without an upgrade there is nothing to apply again.
    expect(ids(computePlan(desired(), cluster(recordOf(cni)).build(), NOW))).to.deep.equal([]);
  });
});

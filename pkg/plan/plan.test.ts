import { expect } from 'chai';
import { computePlan } from './index.js';
import type { Plan, PlanOptions, RenderedAddon } from './types.js';
import { objectKey } from '../addons/normalize.js';
import { emptyRecord } from '../ownership/record.js';
import {
  addon,
  clusterConfiguration,
  CONTAINERD_CONFIG,
  desiredState,
  KUBELET_FLAGS,
  sha256,
  SnapshotBuilder,
  standardFiles,
  type DesiredOptions,
} from './testing/snapshot-builder.js';

const NOW: PlanOptions = { now: '2026-11-25T00:00:00Z' };
const CPS = ['cp-1', 'cp-2', 'cp-3'];
const WORKERS = ['w-1', 'w-2'];
const ids = (plan: Plan): string[] => plan.actions.map((a) => a.id);
const action = (plan: Plan, id: string) => {
  const found = plan.actions.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${id} in ${ids(plan).join(', ')}`);
  return found;
};
const before = (plan: Plan, a: string, b: string): boolean => ids(plan).indexOf(a) < ids(plan).indexOf(b) && ids(plan).includes(a);

function desired(extra: Partial<DesiredOptions> = {}) {
  return desiredState({ version: '1.35.1', controlPlanes: CPS, workers: WORKERS, ...extra });
}

/** Every host installed and joined at `version`, API up, kubeadm-config as the manifest renders it. */
function converged(version = '1.35.1', hosts = [...CPS, ...WORKERS]): SnapshotBuilder {
  const b = new SnapshotBuilder();
  for (const h of hosts) b.convergedHost(h, CPS.includes(h) ? 'controlPlane' : 'staticWorker', { version });
  return b.cluster({ leader: 'cp-1', clusterConfiguration: clusterConfiguration() });
}

/** An ownership record naming every object of `addons` (kubeone applied them). */
function recordOf(addons: RenderedAddon[]) {
  return { ...emptyRecord(), addons: Object.fromEntries(addons.map((a) => [a.name, a.objects.map(objectKey)])) };
}

/** Dependencies always point backwards in the output order and to planned actions. */
function expectTopological(plan: Plan): void {
  const seen = new Set<string>();
  for (const a of plan.actions) {
    for (const dep of a.dependsOn) expect(seen.has(dep), `${a.id} depends on ${dep}, which is not before it`).to.equal(true);
    seen.add(a.id);
  }
}

describe('computePlan', () => {
  it('fresh hosts: installs everything, inits the leader, joins control planes one at a time, then workers', () => {
    const b = new SnapshotBuilder();
    for (const h of CPS) b.host(h, 'controlPlane');
    for (const h of WORKERS) b.host(h, 'staticWorker');
    const want = desired({ addons: [addon('cni', [{ kind: 'ConfigMap', name: 'cni' }])] });
    const plan = computePlan(want, b.build(), NOW);
    expectTopological(plan);
    for (const h of [...CPS, ...WORKERS]) {
      expect(ids(plan)).to.include.members([`install-prerequisites:${h}`, `install-container-runtime:${h}`, `install-binaries:${h}:1.35.1`]);
    }
    expect(action(plan, 'init-control-plane:cp-1').dependsOn).to.have.members([
      'install-prerequisites:cp-1',
      'install-container-runtime:cp-1',
      'install-binaries:cp-1:1.35.1',
    ]);
    expect(action(plan, 'join-control-plane:cp-2').dependsOn).to.include('init-control-plane:cp-1');
    expect(action(plan, 'join-control-plane:cp-3').dependsOn).to.include('join-control-plane:cp-2');
    expect(action(plan, 'join-worker:w-1').dependsOn).to.include('init-control-plane:cp-1');
    expect(action(plan, 'join-control-plane:cp-2').steps.map((s) => s.op)).to.deep.equal([
      'pki.distribute',
      'kubeadm.config.render',
      'kubeadm.join',
      'host.kubelet.configure',
      'node.waitReady',
    ]);
    expect(action(plan, 'join-control-plane:cp-2').steps[0].params).to.deep.equal({ from: 'cp-1' });
    expect(action(plan, 'apply-addon:cni').change).to.equal('+');
    expect(action(plan, 'apply-addon:cni').dependsOn).to.deep.equal(['init-control-plane:cp-1']);
    expect(plan.refusals).to.deep.equal([]);
  });

  it('partly installed hosts: only the missing pieces are planned', () => {
    const b = new SnapshotBuilder()
      .host('cp-1', 'controlPlane', (h) => h.prerequisites().containerd().binaries('1.35.1').files(standardFiles('cp-1')))
      .host('w-1', 'staticWorker', (h) => h.prerequisites());
    const plan = computePlan(desiredState({ version: '1.35.1', controlPlanes: ['cp-1'], workers: ['w-1'] }), b.build(), NOW);
    expect(ids(plan)).to.deep.equal([
      'install-container-runtime:w-1',
      'install-binaries:w-1:1.35.1',
      'init-control-plane:cp-1',
      'join-worker:w-1',
      'sync-node-metadata:cp-1',
      'sync-node-metadata:w-1',
      'record-ownership:kube-system/kubeone-ownership',
    ]);
    expect(action(plan, 'install-binaries:w-1:1.35.1').reason).to.equal('no kubeadm, no kubelet, no kubectl on w-1, versions.kubernetes is 1.35.1');
  });

  it('converged cluster: the plan is empty', () => {
    const cni = addon('cni', [{ kind: 'ConfigMap', name: 'cni' }]);
    const plan = computePlan(desired({ addons: [cni] }), converged().addonObjects(cni).build(), NOW);
    expect(plan.actions).to.deep.equal([]);
    expect(plan.refusals).to.deep.equal([]);
    expect(plan.warnings).to.deep.equal([]);
  });

  it('one minor behind: control planes first (leader applies), one at a time, then workers', () => {
    const plan = computePlan(desired(), converged('1.34.3').build(), NOW);
    expectTopological(plan);
    expect(ids(plan)).to.deep.equal([
      'upgrade-control-plane:cp-1:1.35.1',
      'upgrade-control-plane:cp-2:1.35.1',
      'upgrade-control-plane:cp-3:1.35.1',
      'upgrade-worker:w-1:1.35.1',
      'upgrade-worker:w-2:1.35.1',
    ]);
    expect(action(plan, 'upgrade-control-plane:cp-2:1.35.1').reason).to.equal('kubelet 1.34.3 on cp-2, versions.kubernetes is 1.35.1');
    expect(action(plan, 'upgrade-control-plane:cp-1:1.35.1').steps.map((s) => s.op)).to.include('kubeadm.upgrade.apply');
    expect(action(plan, 'upgrade-control-plane:cp-2:1.35.1').steps.map((s) => s.op)).to.include('kubeadm.upgrade.node');
    expect(action(plan, 'upgrade-control-plane:cp-2:1.35.1').dependsOn).to.deep.equal(['upgrade-control-plane:cp-1:1.35.1']);
    expect(action(plan, 'upgrade-worker:w-2:1.35.1').dependsOn).to.deep.equal(['upgrade-worker:w-1:1.35.1']);
    expect(action(plan, 'upgrade-worker:w-1:1.35.1').disruptive).to.equal(true);
  });

  it("an upgrade marks each Node as KubeOne does: its cordon sets kubeone.io/upgrade-in-progress, its uncordon removes it", () => {
    const plan = computePlan(desired(), converged('1.34.3').build(), NOW);
    const steps = action(plan, 'upgrade-worker:w-1:1.35.1').steps;
    expect(steps[0]).to.deep.include({ op: 'node.cordon', params: { node: 'w-1', upgrade: true } });
    expect(steps.find((s) => s.op === 'node.uncordon')).to.deep.include({ params: { node: 'w-1', upgrade: true } });
  });

  it("refuses to upgrade while a Node carries kubeone.io/upgrade-in-progress that no run of ours left (KubeOne's rule)", () => {
    const marked = () =>
      converged('1.34.3').editKube((k) => {
        const w2 = k.nodes.find((n) => n.name === 'w-2')!;
        w2.labels = { ...w2.labels, 'kubeone.io/upgrade-in-progress': '' };
      });
    const plan = computePlan(desired(), marked().build(), NOW);
    expect(ids(plan).filter((id) => id.startsWith('upgrade-'))).to.deep.equal([]);
    expect(plan.refusals.map((r) => [r.rule, r.hosts])).to.deep.equal([['upgrade-in-progress', ['w-2']]]);
    expect(plan.refusals[0]!.hint).to.contain('kubectl label node w-2 kubeone.io/upgrade-in-progress-');
    // Ours: the host's in-flight marker names its upgrade, which the plan resumes.
    const ours = marked().edit('w-2', (f) => (f.inflight = { actionId: 'upgrade-worker:w-2:1.35.1', step: 'node.drain', startedAt: 't', runId: 'r1' }));
    const resumed = computePlan(desired(), ours.build(), NOW);
    expect(resumed.refusals).to.deep.equal([]);
    expect(ids(resumed)).to.include('upgrade-worker:w-2:1.35.1');
    // Nothing to upgrade: the label alone refuses nothing (KubeOne checks it before upgrades only).
    const atVersion = converged().editKube((k) => (k.nodes.find((n) => n.name === 'w-2')!.labels['kubeone.io/upgrade-in-progress'] = ''));
    expect(computePlan(desired(), atVersion.build(), NOW).refusals).to.deep.equal([]);
  });

  it('worker batches: a batch waits for the whole previous batch', () => {
    const workers = ['w-1', 'w-2', 'w-3', 'w-4'];
    const b = converged('1.34.3', [...CPS, ...workers]);
    const plan = computePlan(desired({ workers }), b.build(), { ...NOW, workerBatchSize: 2 });
    expect(action(plan, 'upgrade-worker:w-1:1.35.1').dependsOn).to.deep.equal(['upgrade-control-plane:cp-3:1.35.1']);
    expect(action(plan, 'upgrade-worker:w-3:1.35.1').dependsOn).to.deep.equal(['upgrade-worker:w-1:1.35.1', 'upgrade-worker:w-2:1.35.1']);
  });

  it('two minors behind: one upgrade step per minor in the same plan', () => {
    const want = desired({ version: '1.36.0' });
    const plan = computePlan(want, converged('1.34.3').build(), { ...NOW, intermediateVersions: { '1.35': '1.35.1' } });
    expectTopological(plan);
    expect(ids(plan)).to.have.length(10);
    expect(ids(plan).slice(0, 5).every((id) => id.endsWith(':1.35.1'))).to.equal(true);
    expect(action(plan, 'upgrade-control-plane:cp-1:1.36.0').dependsOn).to.deep.equal(['upgrade-worker:w-2:1.35.1']);
    expect(action(plan, 'upgrade-control-plane:cp-1:1.35.1').reason).to.contain('step 1 of 2 on the path 1.35.1 -> 1.36.0');
    expect(plan.warnings).to.deep.equal([]);
    const noPatch = computePlan(want, converged('1.34.3').build(), NOW);
    expect(ids(noPatch)).to.include('upgrade-control-plane:cp-1:1.35');
    expect(noPatch.warnings.join('\n')).to.contain('intermediate minor 1.35');
    // the manifest's kubernetesBinaries.intermediateVersions is read when no option is given
    want.cluster.cluster.kubernetesBinaries = { intermediateVersions: { '1.35': 'v1.35.2' } };
    const fromManifest = computePlan(want, converged('1.34.3').build(), NOW);
    expect(ids(fromManifest)).to.include('upgrade-control-plane:cp-1:1.35.2');
    expect(fromManifest.warnings).to.deep.equal([]);
  });

  it('a worker two minors behind steps through each minor; control planes only take the steps they need', () => {
    const b = converged('1.35.1', CPS).convergedHost('w-1', 'staticWorker', { version: '1.33.5' });
    const plan = computePlan(desired({ workers: ['w-1'] }), b.build(), { ...NOW, intermediateVersions: { '1.34': '1.34.3' } });
    expect(ids(plan)).to.deep.equal(['upgrade-worker:w-1:1.34.3', 'upgrade-worker:w-1:1.35.1']);
    expect(action(plan, 'upgrade-worker:w-1:1.35.1').dependsOn).to.deep.equal(['upgrade-worker:w-1:1.34.3']);
  });

  it('an unreachable worker that an upgrade would leave too far behind: the upgrade is refused (skew)', () => {
    const b = converged('1.33.5', CPS).convergedHost('w-1', 'staticWorker', { version: '1.33.5' });
    const snap = b.build();
    const w1 = snap.state.hosts.find((h) => h.name === 'w-1')!;
    Object.assign(w1, { reachable: false, error: { kind: 'timeout', message: 'timed out' } });
    const plan = computePlan(desiredState({ version: '1.37.0', controlPlanes: CPS, workers: ['w-1'] }), snap, {
      ...NOW,
      intermediateVersions: { '1.34': '1.34.3', '1.35': '1.35.1', '1.36': '1.36.0' },
    });
    expect(plan.refusals.map((r) => r.rule)).to.deep.equal(['unreachable', 'skew']);
    expect(plan.refusals[1].message).to.contain('upgrading to 1.37.0 would leave w-1');
    expect(ids(plan)).to.include('upgrade-control-plane:cp-3:1.36.0');
    expect(ids(plan).some((id) => id.endsWith(':1.37.0'))).to.equal(false);
  });

  it('downgrade is refused', () => {
    const plan = computePlan(desired({ version: '1.34.3' }), converged('1.35.1').build(), NOW);
    expect(plan.actions).to.deep.equal([]);
    expect(plan.refusals.map((r) => r.rule)).to.include('downgrade');
  });

  it('one control plane dead: its etcd member and Node go first, then the replacement joins', () => {
    const b = converged()
      .reinstall('cp-3')
      .editKube((k) => {
        k.nodes.find((n) => n.name === 'cp-3')!.ready = false;
        k.etcdMembers.find((m) => m.name === 'cp-3')!.healthy = false;
      });
    const plan = computePlan(desired(), b.build(), NOW);
    expectTopological(plan);
    expect(plan.refusals).to.deep.equal([]);
    const remove = action(plan, 'remove-etcd-member:cp-3');
    expect(remove.steps.map((s) => s.op)).to.deep.equal(['etcd.member.remove', 'node.delete']);
    expect(before(plan, 'remove-etcd-member:cp-3', 'join-control-plane:cp-3')).to.equal(true);
    expect(action(plan, 'join-control-plane:cp-3').dependsOn).to.include('remove-etcd-member:cp-3');
    expect(ids(plan)).to.include('install-binaries:cp-3:1.35.1');
    // The old Node (with KubeOne's label) is deleted and re-registered: the label is set again after the join.
    expect(action(plan, 'sync-node-metadata:cp-3').dependsOn).to.deep.equal(['join-control-plane:cp-3']);
    expect(action(plan, 'sync-node-metadata:cp-3').steps[0]!.params).to.deep.equal({ node: 'cp-3', labels: { 'v1.kubeone.io/operating-system': 'debian' }, annotations: {} });
  });

  it('two of three control planes dead: refused (etcd quorum), host installs still planned', () => {
    const b = converged()
      .reinstall('cp-2')
      .reinstall('cp-3')
      .editKube((k) => {
        for (const n of ['cp-2', 'cp-3']) {
          k.nodes.find((x) => x.name === n)!.ready = false;
          k.etcdMembers.find((m) => m.name === n)!.healthy = false;
        }
      });
    const plan = computePlan(desired(), b.build(), NOW);
    expect(plan.refusals.map((r) => r.rule)).to.deep.equal(['quorum']);
    expect(plan.refusals[0].message).to.contain('1 of 3 etcd members healthy, quorum needs 2');
    expect(ids(plan).some((id) => id.startsWith('join-') || id.startsWith('remove-'))).to.equal(false);
    expect(ids(plan)).to.include('install-prerequisites:cp-2');
  });

  it('host removed from the manifest: drained, etcd member removed, reset, then its Node deleted', () => {
    const plan = computePlan(desired({ controlPlanes: ['cp-1', 'cp-2'], workers: ['w-1'] }), converged().build(), NOW);
    expectTopological(plan);
    expect(ids(plan)).to.deep.equal(['remove-node:cp-3', 'remove-node:w-2']);
    expect(action(plan, 'remove-node:w-2').steps.map((s) => s.op)).to.deep.equal(['node.cordon', 'node.drain', 'kubeadm.reset', 'node.delete']);
    expect(action(plan, 'remove-node:cp-3').steps.map((s) => s.op)).to.deep.equal([
      'node.cordon',
      'node.drain',
      'etcd.member.remove',
      'kubeadm.reset',
      'node.delete',
    ]);
    expect(action(plan, 'remove-node:w-2')).to.include({ change: '-', disruptive: true });
    expect(action(plan, 'remove-node:w-2').reason).to.contain('no host w-2 is in controlPlane.hosts or staticWorkers.hosts');
  });

  it('a removed host whose address now answers without a kubelet.conf is not reset (it may be another machine now)', () => {
    const snapshot = converged()
      .edit('w-2', (f) => {
        f.former = true;
        if (f.kubelet) f.kubelet.kubeconfig = false;
      })
      .build();
    const plan = computePlan(desired({ controlPlanes: ['cp-1', 'cp-2', 'cp-3'], workers: ['w-1'] }), snapshot, NOW);
    expect(action(plan, 'remove-node:w-2').steps.map((s) => s.op)).to.deep.equal(['node.cordon', 'node.drain', 'node.delete']);
  });

  it('a Node the probe did not match is matched by name or address, never removed as a stranger', () => {
    const b = converged().editKube((k) => {
      k.nodes.find((n) => n.name === 'w-1')!.host = null;
      const cp3 = k.nodes.find((n) => n.name === 'cp-3')!;
      cp3.host = null;
      cp3.name = 'cp-3.example.internal';
      k.etcdMembers.find((m) => m.name === 'cp-3')!.host = null;
    });
    const plan = computePlan(desired(), b.build(), NOW);
    expect(plan.actions).to.deep.equal([]);
  });

  it('removing a healthy control plane while another is dead would lose quorum: refused, the rest still planned', () => {
    const snap = converged()
      .editKube((k) => {
        k.nodes.find((n) => n.name === 'cp-2')!.ready = false;
        k.etcdMembers.find((m) => m.name === 'cp-2')!.healthy = false;
      })
      .build();
    Object.assign(snap.state.hosts.find((h) => h.name === 'cp-2')!, { reachable: false, error: { kind: 'timeout', message: 'timed out' } });
    const plan = computePlan(desired({ controlPlanes: ['cp-1', 'cp-2'], workers: ['w-1'] }), snap, NOW);
    expect(plan.refusals.map((r) => `${r.rule} ${r.hosts.join(',')}`)).to.deep.equal(['unreachable cp-2', 'quorum cp-3']);
    expect(plan.refusals[1].message).to.contain('after the removal 1 of 2 members would be healthy');
    expect(ids(plan)).to.deep.equal(['remove-node:w-2']);
  });

  it('host added: only the new host is installed and joined', () => {
    const b = converged().host('w-3', 'staticWorker');
    const plan = computePlan(desired({ workers: ['w-1', 'w-2', 'w-3'] }), b.build(), NOW);
    expect(ids(plan)).to.deep.equal([
      'install-prerequisites:w-3',
      'install-container-runtime:w-3',
      'install-binaries:w-3:1.35.1',
      'join-worker:w-3',
      'sync-node-metadata:w-3',
    ]);
    expect(action(plan, 'sync-node-metadata:w-3').reason).to.equal('label v1.kubeone.io/operating-system missing on w-3');
    expect(action(plan, 'join-worker:w-3').reason).to.equal('w-3 is in staticWorkers.hosts but has no Node and no kubelet.conf');
  });

  it('containerd config drift: containerd is reconfigured on that host only', () => {
    const b = converged().edit('w-1', (f) => (f.managedFiles![CONTAINERD_CONFIG] = { exists: true, sha256: sha256('old') }));
    const plan = computePlan(desired(), b.build(), NOW);
    expect(ids(plan)).to.deep.equal(['configure-container-runtime:w-1']);
    expect(plan.actions[0].reason).to.contain(`${CONTAINERD_CONFIG} on w-1 has sha256`);
    expect(plan.actions[0].steps.map((s) => s.op)).to.deep.equal(['host.containerd.configure']);
  });

  it('drift and upgrade on the same host: containerd is fixed before the upgrade; kubelet files are left to the upgrade', () => {
    const b = converged('1.34.3')
      .edit('w-1', (f) => (f.managedFiles![CONTAINERD_CONFIG] = { exists: true, sha256: sha256('old') }))
      .edit('w-2', (f) => delete f.managedFiles![KUBELET_FLAGS]);
    const plan = computePlan(desired(), b.build(), NOW);
    expectTopological(plan);
    expect(action(plan, 'upgrade-worker:w-1:1.35.1').dependsOn).to.include('configure-container-runtime:w-1');
    expect(ids(plan)).not.to.include('configure-kubelet:w-2');
  });

  it('a NotReady node that stays is reported as a warning, not an action', () => {
    const b = converged().editKube((k) => (k.nodes.find((n) => n.name === 'w-1')!.ready = false));
    const plan = computePlan(desired(), b.build(), NOW);
    expect(plan.actions).to.deep.equal([]);
    expect(plan.warnings).to.deep.equal(['Node w-1 is NotReady; nothing is planned for it (check kubelet and containerd on w-1)']);
  });

  it('a joined host missing kubectl gets it back', () => {
    const b = converged().edit('w-1', (f) => (f.kubectl = { version: '' }));
    const plan = computePlan(desired(), b.build(), NOW);
    expect(ids(plan)).to.deep.equal(['install-binaries:w-1:1.35.1']);
    expect(plan.actions[0].reason).to.equal('no kubectl on w-1, versions.kubernetes is 1.35.1');
    expect(plan.actions[0].steps[0].params).to.deep.equal({ version: '1.35.1', components: ['kubectl'] });
  });

  it('an interrupted run and a held lock are reported as warnings', () => {
    const b = converged().edit('cp-1', (f) => {
      f.inflight = { actionId: 'upgrade-worker:w-1:1.35.1', step: 'node.drain', startedAt: '2026-11-24T23:00:00Z', runId: 'r1' };
      f.lock = { id: 'l1', owner: 'ops@bastion', pid: 4242, startedAt: '2026-11-24T23:00:00Z', command: 'kubeone apply' };
    });
    const plan = computePlan(desired(), b.build(), NOW);
    expect(plan.actions).to.deep.equal([]);
    expect(plan.warnings).to.have.length(2);
    expect(plan.warnings[0]).to.contain('step node.drain of upgrade-worker:w-1:1.35.1 (run r1');
    expect(plan.warnings[1]).to.contain('cluster lock held by ops@bastion (pid 4242');
  });

  it('a Node left cordoned by an interrupted upgrade is uncordoned; one cordoned by an admin is not', () => {
    const b = converged()
      .edit('w-1', (f) => (f.inflight = { actionId: 'upgrade-worker:w-1:1.35.1', step: 'node.uncordon', startedAt: 't', runId: 'r1' }))
      .editKube((k) => {
        for (const n of k.nodes) if (n.name === 'w-1' || n.name === 'w-2') n.unschedulable = true;
      });
    const plan = computePlan(desired(), b.build(), NOW);
    expect(ids(plan)).to.deep.equal(['sync-node-metadata:w-1']);
    expect(plan.actions[0].steps).to.deep.equal([{ id: 'node.uncordon', op: 'node.uncordon', host: 'w-1', description: 'uncordon node w-1', params: { node: 'w-1' } }]);
  });

  it("a killed upgrade's Node loses the upgrade-in-progress label with the uncordon that finishes it", () => {
    const b = converged()
      .edit('w-1', (f) => (f.inflight = { actionId: 'upgrade-worker:w-1:1.35.1', step: 'node.uncordon', startedAt: 't', runId: 'r1' }))
      .editKube((k) => {
        const w1 = k.nodes.find((n) => n.name === 'w-1')!;
        w1.unschedulable = true;
        w1.labels['kubeone.io/upgrade-in-progress'] = '';
      });
    const plan = computePlan(desired(), b.build(), NOW);
    expect(ids(plan)).to.deep.equal(['sync-node-metadata:w-1']);
    expect(plan.actions[0].steps).to.deep.equal([
      { id: 'node.uncordon', op: 'node.uncordon', host: 'w-1', description: 'uncordon node w-1 and remove its kubeone.io/upgrade-in-progress label', params: { node: 'w-1', upgrade: true } },
    ]);
    // Uncordoned by hand, still labelled: the label still goes.
    const labelled = converged()
      .edit('w-1', (f) => (f.inflight = { actionId: 'upgrade-worker:w-1:1.35.1', step: 'node.uncordon', startedAt: 't', runId: 'r1' }))
      .editKube((k) => (k.nodes.find((n) => n.name === 'w-1')!.labels['kubeone.io/upgrade-in-progress'] = ''));
    expect(computePlan(desired(), labelled.build(), NOW).actions[0]!.steps[0]!.params).to.deep.equal({ node: 'w-1', upgrade: true });
    // The journal says our killed run cordoned it: the repair removes the label too.
    const repaired = converged().editKube((k) => {
      const w1 = k.nodes.find((n) => n.name === 'w-1')!;
      w1.unschedulable = true;
      w1.labels['kubeone.io/upgrade-in-progress'] = '';
    });
    const repair = computePlan(desired(), repaired.build(), { ...NOW, interrupted: { nodesLeftCordoned: ['w-1'] } });
    expect(repair.actions.map((x) => x.steps[0]!.params)).to.deep.equal([{ node: 'w-1', upgrade: true }]);
  });

  it('a Node the journal says a killed run left cordoned is uncordoned, even when the plan has nothing else', () => {
    const interrupted = { nodesLeftCordoned: ['w-1'] };
    const cordoned = converged().editKube((k) => (k.nodes.find((n) => n.name === 'w-1')!.unschedulable = true));
    const plan = computePlan(desired(), cordoned.build(), { ...NOW, interrupted });
    expect(ids(plan)).to.deep.equal(['uncordon-repair:w-1']);
    expect(plan.actions[0].steps).to.deep.equal([{ id: 'node.uncordon', op: 'node.uncordon', host: 'w-1', description: 'uncordon node w-1', params: { node: 'w-1' } }]);
    // Uncordoned since (by hand): nothing to repair.
    expect(computePlan(desired(), converged().build(), { ...NOW, interrupted }).actions).to.deep.equal([]);
  });

  it('no uncordon repair for a Node the plan uncordons anyway (its upgrade ends with an uncordon)', () => {
    const b = converged('1.35.1', CPS)
      .convergedHost('w-1', 'staticWorker', { version: '1.34.3' })
      .convergedHost('w-2', 'staticWorker', { version: '1.35.1' })
      .editKube((k) => {
        for (const n of k.nodes) if (n.name === 'w-1' || n.name === 'w-2') n.unschedulable = true;
      });
    const plan = computePlan(desired(), b.build(), { ...NOW, interrupted: { nodesLeftCordoned: ['w-1', 'w-2'] } });
    expect(ids(plan).filter((id) => id.startsWith('uncordon-repair:'))).to.deep.equal(['uncordon-repair:w-2']);
    expect(ids(plan)).to.include('upgrade-worker:w-1:1.35.1');
  });

  it('joins wait for a Node to register, upgrades for it to be Ready (node.waitReady params)', () => {
    const fresh = new SnapshotBuilder().host('cp-1', 'controlPlane').host('w-1', 'staticWorker');
    const created = computePlan(desiredState({ version: '1.35.1', controlPlanes: ['cp-1'], workers: ['w-1'] }), fresh.build(), NOW);
    const waits = (plan: Plan, id: string) => action(plan, id).steps.filter((s) => s.op === 'node.waitReady').map((s) => s.params);
    expect(waits(created, 'init-control-plane:cp-1')).to.deep.equal([{ node: 'cp-1', ready: false }]);
    expect(waits(created, 'join-worker:w-1')).to.deep.equal([{ node: 'w-1', ready: false }]);
    const upgraded = computePlan(desired(), converged('1.34.3').build(), NOW);
    expect(waits(upgraded, 'upgrade-worker:w-1:1.35.1')).to.deep.equal([{ node: 'w-1', ready: true }]);
  });

  it('kubelet flag drift: kubelet is reconfigured and restarted on that host', () => {
    const b = converged().edit('w-2', (f) => delete f.managedFiles![KUBELET_FLAGS]);
    const plan = computePlan(desired(), b.build(), NOW);
    expect(ids(plan)).to.deep.equal(['configure-kubelet:w-2']);
    expect(plan.actions[0].reason).to.contain(`${KUBELET_FLAGS} is missing on w-2`);
    expect(plan.actions[0].steps.map((s) => s.op)).to.deep.equal(['host.kubelet.configure', 'host.kubelet.restart']);
  });

  it('control-plane flag drift: each control plane re-renders its static pods, leader first', () => {
    const want = desired({ clusterConfiguration: clusterConfiguration({ 'oidc-issuer-url': 'https://idp' }) });
    const plan = computePlan(want, converged().build(), NOW);
    expect(ids(plan)).to.deep.equal(CPS.map((h) => `reconfigure-control-plane:${h}`));
    expect(plan.actions[0].reason).to.equal('apiServer.extraArgs oidc-issuer-url: unset in the cluster, the manifest sets https://idp');
    expect(plan.actions[1].dependsOn).to.deep.equal(['reconfigure-control-plane:cp-1']);
  });

  it('upgrade with control-plane flag drift: the leader stores the ClusterConfiguration before kubeadm upgrade apply, no second restart', () => {
    const want = desired({ clusterConfiguration: clusterConfiguration({ 'oidc-issuer-url': 'https://idp' }) });
    const plan = computePlan(want, converged('1.34.3').build(), NOW);
    expectTopological(plan);
    const leaderOps = action(plan, 'upgrade-control-plane:cp-1:1.35.1').steps.map((s) => s.op);
    expect(leaderOps.indexOf('kubeadm.config.upload')).to.be.greaterThan(leaderOps.indexOf('kubeadm.config.render'));
    expect(leaderOps.indexOf('kubeadm.config.upload')).to.be.lessThan(leaderOps.indexOf('kubeadm.upgrade.apply'));
    expect(action(plan, 'upgrade-control-plane:cp-1:1.35.1').reason).to.contain('kube-system/kubeadm-config gets the manifest');
    expect(action(plan, 'upgrade-control-plane:cp-2:1.35.1').steps.map((s) => s.op)).not.to.include('kubeadm.config.upload');
    expect(ids(plan).filter((id) => id.startsWith('reconfigure-control-plane'))).to.deep.equal([]);
    // Through an intermediate minor, only the upgrade to the manifest's version stores it.
    const twoMinors = computePlan(desired({ version: '1.36.0' }), converged('1.34.3').build(), { ...NOW, intermediateVersions: { '1.35': '1.35.1' } });
    expect(action(twoMinors, 'upgrade-control-plane:cp-1:1.35.1').steps.map((s) => s.op)).not.to.include('kubeadm.config.upload');
    expect(action(twoMinors, 'upgrade-control-plane:cp-1:1.36.0').steps.map((s) => s.op)).to.include('kubeadm.config.upload');
  });

  it('addon drift: changed object, deleted object, extra live object, addon removed from the manifest', () => {
    const live = addon('cni', [{ kind: 'ConfigMap', name: 'a' }, { kind: 'ConfigMap', name: 'b' }, { kind: 'ConfigMap', name: 'gone' }]);
    const old = addon('metrics', [{ kind: 'Deployment', name: 'metrics-server' }]);
    const want = addon('cni', [{ kind: 'ConfigMap', name: 'a', variant: 'v2' }, { kind: 'ConfigMap', name: 'b' }, { kind: 'ConfigMap', name: 'new' }]);
    // kubeone applied both addons (the ownership record names their objects).
    const b = converged().addonObjects(live).addonObjects(old).editKube((k) => (k.ownership = recordOf([live, old])));
    const plan = computePlan(desired({ addons: [want] }), b.build(), NOW);
    expect(ids(plan)).to.deep.equal(['apply-addon:cni', 'prune-addon:metrics', 'record-ownership:kube-system/kubeone-ownership']);
    const cni = action(plan, 'apply-addon:cni');
    expect(cni.change).to.equal('~');
    expect(cni.objects!.map((o) => `${o.change} ${o.name}`)).to.deep.equal(['~ a', '+ new', '- gone']);
    expect(cni.objects![0].patch).to.deep.equal([{ op: 'replace', path: '/data/variant', value: 'v2' }]);
    expect(cni.steps.map((s) => s.op)).to.deep.equal(['addon.apply', 'addon.prune']);
    expect(action(plan, 'prune-addon:metrics').change).to.equal('-');
  });

  it('unreachable worker: refused, other actions still planned', () => {
    const b = converged('1.34.3').edit('w-2', () => undefined);
    const snap = b.build();
    const w2 = snap.state.hosts.find((h) => h.name === 'w-2')!;
    for (const key of Object.keys(w2)) if (!['name', 'id', 'role', 'address', 'privateAddress'].includes(key)) delete (w2 as unknown as Record<string, unknown>)[key];
    Object.assign(w2, { reachable: false, error: { kind: 'unreachable', message: 'connection refused' } });
    const plan = computePlan(desired(), snap, NOW);
    expect(plan.refusals.map((r) => `${r.rule} ${r.hosts.join(',')}`)).to.deep.equal(['unreachable w-2']);
    expect(ids(plan)).to.include('upgrade-worker:w-1:1.35.1');
    expect(ids(plan)).not.to.include('upgrade-worker:w-2:1.35.1');
  });

  it('unreachable leader of a fresh cluster: init and the joins are refused, installs still planned', () => {
    const b = new SnapshotBuilder().host('cp-1', 'controlPlane', (h) => h.unreachable()).host('w-1', 'staticWorker');
    const plan = computePlan(desiredState({ version: '1.35.1', controlPlanes: ['cp-1'], workers: ['w-1'] }), b.build(), NOW);
    // The worker's join and the Node labelling after it are blocked.
    expect(plan.refusals.map((r) => r.rule)).to.deep.equal(['unreachable', 'unreachable', 'blocked', 'blocked']);
    expect(ids(plan)).to.deep.equal(['install-prerequisites:w-1', 'install-container-runtime:w-1', 'install-binaries:w-1:1.35.1']);
  });

  it('expiring certificates are renewed with the expiry date in the reason', () => {
    const b = converged().edit('cp-2', (f) => {
      f.certsEarliestExpiry = '2027-01-05T00:00:00Z';
      f.certs = { 'apiserver.crt': '2027-01-05T00:00:00Z' };
    });
    const plan = computePlan(desired(), b.build(), NOW);
    expect(ids(plan)).to.deep.equal(['renew-certificates:cp-2']);
    expect(plan.actions[0].reason).to.equal('apiserver.crt on cp-2 expires in 41 days (2027-01-05T00:00:00Z), the renewal window is 90 days');
  });

  it('node labels follow the manifest and removed managed labels are removed', () => {
    const want = desired({ hostConfig: { 'w-1': { labels: { zone: 'a' } } } });
    const first = computePlan(want, converged().build(), NOW);
    expect(ids(first)).to.deep.equal(['sync-node-metadata:w-1']);
    expect(first.actions[0].steps[0].params).to.deep.equal({ node: 'w-1', labels: { zone: 'a' }, annotations: {} });
    // kubeone set zone before: the record says so, or (an earlier kubeone) its annotation on the Node.
    const recorded = converged().editKube((k) => {
      k.nodes.find((x) => x.name === 'w-1')!.labels.zone = 'a';
      k.ownership = { ...emptyRecord(), nodes: { 'w-1': { labels: ['zone'], annotations: [], taints: [] } } };
    });
    expect(computePlan(desired(), recorded.build(), NOW).actions.find((a) => a.kind === 'sync-node-metadata')!.steps[0].params).to.deep.equal({
      node: 'w-1',
      labels: { 'zone-': '' },
      annotations: {},
    });
    const legacy = converged().editKube((k) => {
      const n = k.nodes.find((x) => x.name === 'w-1')!;
      n.labels.zone = 'a';
      n.annotations['kubeone.k8c.io/managed-labels'] = 'zone';
    });
    const second = computePlan(desired(), legacy.build(), NOW);
    expect(second.actions[0].steps[0].params).to.deep.equal({
      node: 'w-1',
      labels: { 'zone-': '' },
      annotations: { 'kubeone.k8c.io/managed-labels-': '' },
    });
  });

  it('API down on an existing cluster: repairs are refused (no leader)', () => {
    const snap = converged('1.34.3').host('w-3', 'staticWorker').build();
    snap.state.kube = null;
    const plan = computePlan(desired({ workers: ['w-1', 'w-2', 'w-3'] }), snap, NOW);
    expect(plan.refusals.map((r) => r.rule)).to.deep.equal(['no-leader']);
    expect(ids(plan)).to.deep.equal(['install-prerequisites:w-3', 'install-container-runtime:w-3', 'install-binaries:w-3:1.35.1']);
  });

  it('reset: workers first, control planes one at a time, leader last', () => {
    const plan = computePlan(desired(), converged().build(), { ...NOW, reset: true, removeBinaries: true });
    expectTopological(plan);
    expect(ids(plan)).to.deep.equal(['reset-host:w-1', 'reset-host:w-2', 'reset-host:cp-2', 'reset-host:cp-3', 'reset-host:cp-1']);
    expect(action(plan, 'reset-host:cp-2').dependsOn).to.deep.equal(['reset-host:w-1', 'reset-host:w-2']);
    expect(action(plan, 'reset-host:cp-1').steps.map((s) => s.op)).to.deep.equal(['kubeadm.reset', 'host.binaries.remove']);
  });

  it('is deterministic and does not modify its inputs', () => {
    const want = desired({ version: '1.36.0' });
    const snap = converged('1.34.3').build();
    const frozen = JSON.stringify([want, snap]);
    const a = computePlan(want, snap, NOW);
    const b2 = computePlan(want, snap, NOW);
    expect(JSON.stringify(a)).to.equal(JSON.stringify(b2));
    expect(JSON.stringify([want, snap])).to.equal(frozen);
    expect(a.snapshotHash).to.equal(snap.hash);
    expect(a.manifestHash).to.equal(want.manifestHash);
  });

  it('files on a host that is not joined yet are left to the join', () => {
    const b = converged().host('w-3', 'staticWorker', (h) => h.prerequisites().containerd().binaries('1.35.1').files({ [CONTAINERD_CONFIG]: standardFiles('w-3')[CONTAINERD_CONFIG] }));
    const plan = computePlan(desired({ workers: ['w-1', 'w-2', 'w-3'] }), b.build(), NOW);
    // After the join, the Node gets KubeOne's operating-system label.
    expect(ids(plan)).to.deep.equal(['join-worker:w-3', 'sync-node-metadata:w-3']);
  });
});

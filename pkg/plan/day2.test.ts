// The planner's side of the day-2 commands and apply flags: certificate renewal on request and
// for missing apiEndpoint names, plans limited to some kinds, forced upgrades and installs,
// image pruning after upgrades.
import { expect } from 'chai';
import { computePlan } from './index.js';
import type { Plan, PlanOptions } from './types.js';
import { addon, desiredState, SnapshotBuilder } from './testing/snapshot-builder.js';

const NOW: PlanOptions = { now: '2026-11-25T00:00:00Z' };
const CPS = ['cp-1', 'cp-2', 'cp-3'];
const ids = (plan: Plan): string[] => plan.actions.map((a) => a.id);

function desired(version = '1.35.1', extra: { labels?: boolean } = {}) {
  const d = desiredState({ version, controlPlanes: CPS, workers: ['w-1'], ...(extra.labels ? { hostConfig: { 'w-1': { labels: { zone: 'a' } } } } : {}) });
  d.cluster.cluster.apiEndpoint = { host: 'api.example.com', port: 6443, alternativeNames: ['LB.example.com', '192.0.2.7'] };
  return d;
}

function converged(version = '1.35.1', sans: string[] = ['DNS:api.example.com', 'DNS:lb.example.com', 'IP:192.0.2.7', 'DNS:kubernetes']): SnapshotBuilder {
  const b = new SnapshotBuilder();
  for (const h of [...CPS, 'w-1']) b.convergedHost(h, CPS.includes(h) ? 'controlPlane' : 'staticWorker', { version });
  b.cluster({ leader: 'cp-1' });
  for (const h of CPS) b.edit(h, (f) => (f.apiserverSans = sans));
  return b;
}

describe('planner: day-2 requests', () => {
  it('names the manifest gives the API endpoint and the certificate lacks: a new apiserver certificate, one control plane at a time', () => {
    const b = converged().edit('cp-2', (f) => (f.apiserverSans = ['DNS:api.example.com', 'IP:192.0.2.7']));
    const plan = computePlan(desired(), b.build(), NOW);
    expect(ids(plan)).to.deep.equal(['renew-certificates:cp-2']);
    const [renew] = plan.actions;
    expect(renew!.reason).to.equal('apiserver.crt on cp-2 does not name lb.example.com (apiEndpoint)');
    expect(renew!.steps.map((s) => [s.op, s.params])).to.deep.equal([
      ['kubeadm.config.render', undefined],
      ['kubeadm.certs.renew', { reissueApiserver: true }],
      ['node.waitReady', { node: 'cp-2', ready: true }],
    ]);
  });

  it('a certificate whose names were not read is not re-issued', () => {
    const b = converged().edit('cp-1', (f) => delete f.apiserverSans);
    expect(ids(computePlan(desired(), b.build(), NOW))).to.deep.equal([]);
  });

  it('certificates renew: every control plane, one after the other, only renewals (other drift waits for apply)', () => {
    const plan = computePlan(desired('1.35.1', { labels: true }), converged().build(), { ...NOW, renewCertificates: true, only: ['renew-certificates'] });
    expect(ids(plan)).to.deep.equal(['renew-certificates:cp-1', 'renew-certificates:cp-2', 'renew-certificates:cp-3']);
    expect(plan.actions[1]!.dependsOn).to.deep.equal(['renew-certificates:cp-1']);
    expect(plan.actions[2]!.dependsOn).to.deep.equal(['renew-certificates:cp-2']);
    expect(plan.actions[0]!.reason).to.equal('certificate renewal was requested (kubeone certificates renew)');
    expect(plan.actions[0]!.steps.map((s) => s.op)).to.deep.equal(['kubeadm.certs.renew', 'node.waitReady']);
    // Without the scope the same cluster has other work; without the request, none of it is renewal.
    expect(ids(computePlan(desired('1.35.1', { labels: true }), converged().build(), NOW))).to.deep.equal(['sync-node-metadata:w-1']);
    expect(ids(computePlan(desired('1.35.1', { labels: true }), converged().build(), { ...NOW, only: ['renew-certificates'] }))).to.deep.equal([]);
  });

  it('--force-upgrade: every host at the version goes through the upgrade, leader with kubeadm upgrade apply, unguarded', () => {
    expect(ids(computePlan(desired(), converged().build(), NOW))).to.deep.equal([]);
    const plan = computePlan(desired(), converged().build(), { ...NOW, forceUpgrade: true });
    expect(ids(plan)).to.deep.equal(['upgrade-control-plane:cp-1:1.35.1', 'upgrade-control-plane:cp-2:1.35.1', 'upgrade-control-plane:cp-3:1.35.1', 'upgrade-worker:w-1:1.35.1']);
    // As KubeOne, the configuration is stored again before the leader's upgrade.
    expect(plan.actions[0]!.reason).to.equal(
      "kubelet 1.35.1 on cp-1 is at versions.kubernetes; an upgrade was requested (--force-upgrade); kube-system/kubeadm-config gets the manifest's ClusterConfiguration first",
    );
    expect(plan.actions[0]!.steps.map((s) => s.op)).to.include('kubeadm.config.upload');
    expect(plan.actions[0]!.steps.find((s) => s.op === 'kubeadm.upgrade.apply')!.params).to.deep.equal({ version: '1.35.1', force: true });
    expect(plan.actions[1]!.steps.find((s) => s.op === 'kubeadm.upgrade.node')!.params).to.deep.equal({ version: '1.35.1', force: true });
  });

  it('kubeadm upgrade apply rewrites CoreDNS: a converged patch addon is applied again after the control-plane upgrades', () => {
    const patch = addon('coredns-patch', [{ kind: 'Deployment', name: 'coredns' }]);
    const want = desired();
    want.addons = [patch];
    const b = converged().addonObjects(patch);
    expect(ids(computePlan(want, b.build(), NOW))).to.deep.equal([]);
    const plan = computePlan(want, b.build(), { ...NOW, forceUpgrade: true });
    const reapply = plan.actions.find((a) => a.id === 'apply-addon:coredns-patch')!;
    expect(reapply.reason).to.contain('kubeadm upgrade apply writes');
    expect(reapply.dependsOn).to.deep.equal(['upgrade-control-plane:cp-3:1.35.1']);
    expect(reapply.steps.map((s) => [s.op, s.params])).to.deep.equal([['addon.apply', { addon: 'coredns-patch', objects: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system', name: 'coredns' }] }]]);
  });

  it('--force-install: kubeadm, kubelet and kubectl again on every host at the version', () => {
    const plan = computePlan(desired(), converged().build(), { ...NOW, forceInstall: true });
    expect(ids(plan)).to.deep.equal(['install-binaries:cp-1:1.35.1', 'install-binaries:cp-2:1.35.1', 'install-binaries:cp-3:1.35.1', 'install-binaries:w-1:1.35.1']);
    expect(plan.actions[0]!.steps[0]!.params).to.deep.equal({ version: '1.35.1', components: ['kubeadm', 'kubelet', 'kubectl'], force: true });
    expect(plan.actions[0]!.reason).to.contain('--force-install');
  });

  it('--prune-images: after the last upgrade of each host only', () => {
    const plan = computePlan(desired('1.36.0'), converged('1.34.3').build(), { ...NOW, pruneImages: true, intermediateVersions: { '1.35': '1.35.1' } });
    for (const a of plan.actions.filter((x) => x.kind.startsWith('upgrade-'))) {
      const prunes = a.steps.filter((s) => s.op === 'host.images.prune');
      expect(prunes, a.id).to.have.length(a.id.endsWith(':1.36.0') ? 1 : 0);
      if (prunes.length) expect(a.steps.at(-1)!.op).to.equal('host.images.prune');
    }
    expect(plan.actions.filter((a) => a.steps.some((s) => s.op === 'host.images.prune'))).to.have.length(4);
  });

  it('apply --no-init: only the host preparation kinds', () => {
    const b = new SnapshotBuilder();
    for (const h of [...CPS, 'w-1']) b.host(h, CPS.includes(h) ? 'controlPlane' : 'staticWorker');
    const plan = computePlan(desired(), b.build(), { ...NOW, only: ['install-prerequisites', 'install-container-runtime', 'install-binaries', 'configure-container-runtime'] });
    expect([...new Set(plan.actions.map((a) => a.kind))].sort()).to.deep.equal(['install-binaries', 'install-container-runtime', 'install-prerequisites']);
    expect(ids(plan)).to.include('install-binaries:w-1:1.35.1').and.include('install-binaries:cp-3:1.35.1');
  });
});

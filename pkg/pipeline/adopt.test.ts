// planFor on a cluster KubeOne built: its control-plane flags stay through the configuration
// kubeone uploads; the ownership record, not anything local, decides what is kubeone's, so a
// lost .kubeone/ directory (or another machine) plans the same.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeDesired } from '../desired/index.js';
import { computePlan } from '../plan/index.js';
import { applyPlan } from '../plan/testing/apply-plan.js';
import { SnapshotBuilder } from '../plan/testing/snapshot-builder.js';
import type { Plan } from '../plan/types.js';
import { fixtureCluster } from '../scripts/testing/fixtures.js';
import type { Snapshot } from '../snapshot/types.js';
import type { Collaborators } from './collaborators.js';
import { planFor } from './plan-for.js';

const KUBEONE_FLAGS = [
  { name: 'audit-log-path', value: '/var/log/kubernetes/audit.log' },
  { name: 'audit-policy-file', value: '/etc/kubernetes/audit/policy.yaml' },
  { name: 'encryption-provider-config', value: '/etc/kubernetes/encryption-providers/encryption-providers.yaml' },
];
const KUBEONE_VOLUMES = [
  { name: 'audit-conf', hostPath: '/etc/kubernetes/audit', mountPath: '/etc/kubernetes/audit', readOnly: true, pathType: 'DirectoryOrCreate' },
  { name: 'encryption-providers-conf', hostPath: '/etc/kubernetes/encryption-providers', mountPath: '/etc/kubernetes/encryption-providers', readOnly: true, pathType: 'DirectoryOrCreate' },
];

const collaborators = { renderAddons: async () => [], computePlan } as unknown as Collaborators;

/** The fixture cluster, converged, with kubeadm-config as KubeOne leaves it (the render plus audit and encryption). */
function kubeOneCluster(dir: string): { loaded: ReturnType<typeof fixtureCluster>; snapshot: Snapshot } {
  const loaded = { ...fixtureCluster(), baseDir: dir, manifestPath: join(dir, 'kubeone.yaml') };
  const probed = new SnapshotBuilder('demo');
  for (const h of loaded.hosts) probed.convergedHost(h.name, h.role, { version: '1.35.1' });
  // The hosts' files as KubeOne's equal rendering left them (for the containerd they run).
  const desired = computeDesired(loaded, [], { facts: probed.build().state.hosts });
  const live = structuredClone(desired.clusterConfiguration) as { apiServer: { extraArgs: { name: string; value: string }[]; extraVolumes?: unknown[] } };
  live.apiServer.extraArgs = [...live.apiServer.extraArgs, ...KUBEONE_FLAGS].sort((a, b) => (a.name < b.name ? -1 : 1));
  live.apiServer.extraVolumes = KUBEONE_VOLUMES;
  const b = new SnapshotBuilder('demo');
  for (const h of loaded.hosts) b.convergedHost(h.name, h.role, { version: '1.35.1', files: desired.managedFiles[h.name] });
  b.cluster({ leader: 'cp-1', clusterConfiguration: live }).editKube((k) => (k.ownership = null));
  return { loaded, snapshot: b.build() };
}

const apiServerArgs = (config: Record<string, unknown>) => (config.apiServer as { extraArgs: { name: string }[] }).extraArgs.map((a) => a.name);

describe('planFor on a cluster KubeOne built', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'adopt-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('keeps its audit and encryption flags and volumes: no reconfiguration, a warning each, only the record is written', async () => {
    const { loaded, snapshot } = kubeOneCluster(tempDir());
    const { desired, plan } = await planFor(collaborators, loaded, snapshot);
    expect(plan.actions.map((a) => a.id)).to.deep.equal(['record-ownership:kube-system/kubeone-ownership']);
    expect(apiServerArgs(desired.clusterConfiguration)).to.include.members(['audit-log-path', 'audit-policy-file', 'encryption-provider-config']);
    expect((desired.clusterConfiguration.apiServer as { extraVolumes: unknown[] }).extraVolumes).to.deep.equal(KUBEONE_VOLUMES);
    expect(plan.warnings.filter((w) => w.includes('kubeone has no record of setting it: kept'))).to.have.length(5);
    // The record claims what kubeone renders, not what it keeps.
    const record = (plan.actions[0]!.steps[0]!.params as { record: { controlPlane: { flags: { apiServer: string[] }; volumes: object } } }).record;
    expect(record.controlPlane.flags.apiServer).to.include('profiling').and.not.include('audit-policy-file').and.not.include('encryption-provider-config');
    expect(record.controlPlane.volumes).to.deep.equal({});
  });

  it('ownership lives in the cluster: after the first apply, a lost .kubeone/ directory or another machine plans the same', async () => {
    const first = tempDir();
    const { loaded, snapshot } = kubeOneCluster(first);
    const { desired, plan } = await planFor(collaborators, loaded, snapshot);
    const applied = applyPlan(plan, snapshot, desired);
    const elsewhere = { ...loaded, baseDir: tempDir(), manifestPath: '/elsewhere/kubeone.yaml' };
    rmSync(join(first, '.kubeone'), { recursive: true, force: true });
    for (const where of [loaded, elsewhere]) {
      const again: Plan = (await planFor(collaborators, where, applied)).plan;
      expect(again.actions).to.deep.equal([]);
    }
    // Turning the static audit log off explicitly removes KubeOne's audit flags and volume; encryption stays.
    const off = { ...elsewhere, cluster: { ...elsewhere.cluster, features: { staticAuditLog: { enable: false } } } };
    const changed = (await planFor(collaborators, off, applied)).plan;
    // (The record does not change: the audit flags never were kubeone's.)
    expect(changed.actions.map((a) => a.kind)).to.deep.equal(['reconfigure-control-plane', 'reconfigure-control-plane']);
    expect(changed.actions[0]!.reason).to.contain('audit-policy-file: /etc/kubernetes/audit/policy.yaml in the cluster, the manifest removes it').and.not.contain('encryption-provider-config');
  });
});

// The helmReleases stage: install, upgrade (version, values, a failed revision, a release
// someone else installed), uninstall of kubeone's releases only, refusals when the chart
// cannot be found or a helm operation is pending, and values diffs without secrets.
import { expect } from 'chai';
import { desiredRelease, liveRelease } from '../../helm/testing/releases.js';
import { emptyRecord } from '../../ownership/record.js';
import type { DesiredHelmRelease } from '../../helm/types.js';
import type { HelmReleaseFacts } from '../../snapshot/types.js';
import { renderPlanJson } from '../../views/plan-json.js';
import { renderPlanHuman } from '../../views/plan-human.js';
import { computePlan } from '../index.js';
import { addon, clusterConfiguration, desiredState, SnapshotBuilder } from '../testing/snapshot-builder.js';
import type { Plan } from '../types.js';

const NOW = { now: '2026-11-25T00:00:00Z' };
const helmIds = (plan: Plan): string[] => plan.actions.filter((a) => a.kind.endsWith('helm-release')).map((a) => a.id);

function plan(releases: DesiredHelmRelease[], live: HelmReleaseFacts[] | undefined, opts: { addons?: boolean; interrupted?: string[]; recorded?: string[] } = {}): Plan {
  const want = desiredState({ version: '1.35.1', controlPlanes: ['cp-1'], workers: ['w-1'], ...(opts.addons ? { addons: [addon('cni', [{ kind: 'ConfigMap', name: 'cni' }])] } : {}) });
  want.helmReleases = releases;
  const b = new SnapshotBuilder();
  b.convergedHost('cp-1', 'controlPlane', { version: '1.35.1' }).convergedHost('w-1', 'staticWorker', { version: '1.35.1' });
  b.cluster({ leader: 'cp-1', clusterConfiguration: clusterConfiguration() });
  b.editKube((k) => {
    if (live) k.helmReleases = live;
    // The ownership record naming these releases (and nothing else: the record action then rewrites it).
    if (opts.recorded) k.ownership = { ...emptyRecord(), helmReleases: opts.recorded };
  });
  return computePlan(want, b.build(), { ...NOW, ...(opts.interrupted ? { interrupted: { nodesLeftCordoned: [], helmReleases: opts.interrupted } } : {}) });
}

const web = (opts: Partial<DesiredHelmRelease> & { chartVersion?: string } = {}) => desiredRelease('web', { values: { replicas: 1 }, ...opts });
const liveWeb = (opts: Partial<HelmReleaseFacts> & { config?: Record<string, unknown> } = {}) => liveRelease('web', { config: { replicas: 1 }, ...opts });

describe('planner: helm releases', () => {
  it('installs missing releases after the addons, one at a time in manifest order', () => {
    const p = plan([web(), desiredRelease('db', { index: 1 })], [], { addons: true });
    expect(helmIds(p)).to.deep.equal(['install-helm-release:apps/web', 'install-helm-release:apps/db']);
    const [first, second] = p.actions.filter((a) => a.kind === 'install-helm-release');
    expect(first).to.include({ change: '+', title: 'install helm release apps/web' });
    expect(first!.reason).to.equal('helmReleases[0] asks for web 1.0.0 and no release web exists in namespace apps');
    expect(first!.dependsOn).to.deep.equal(['apply-addon:cni']);
    expect(second!.dependsOn).to.deep.equal(['install-helm-release:apps/web']);
    expect(first!.steps).to.deep.equal([{ id: 'helm.release.apply', op: 'helm.release.apply', description: 'helm upgrade --install apps/web (web 1.0.0)', params: { release: 'web', namespace: 'apps' } }]);
    expect(first!.valuesDiff).to.deep.equal([{ op: 'add', path: '/replicas', value: 1 }]);
  });

  it('a release as the manifest asks is left alone', () => {
    expect(plan([web()], [liveWeb()]).actions).to.deep.equal([]);
  });

  it('upgrades for a new chart version, new values, a failed revision, a different chart', () => {
    const cases: [DesiredHelmRelease, HelmReleaseFacts, string][] = [
      [web({ chartVersion: '1.1.0' }), liveWeb(), 'chart web is at version 1.0.0, the manifest asks for 1.1.0 (helmReleases[0])'],
      [web({ values: { replicas: 3 } }), liveWeb(), "its values differ from the manifest's (helmReleases[0])"],
      [web(), liveWeb({ status: 'failed', revision: 4 }), 'its revision 4 is failed (helmReleases[0])'],
      [web({ chart: { name: 'nginx', version: '1.0.0' } }), liveWeb(), 'it runs chart web, the manifest asks for nginx (helmReleases[0])'],
    ];
    for (const [want, live, reason] of cases) {
      const p = plan([want], [live]);
      expect(p.actions.map((a) => [a.id, a.change, a.reason])).to.deep.equal([['upgrade-helm-release:apps/web', '~', reason]]);
    }
    expect(plan([web({ values: { replicas: 3 } })], [liveWeb()]).actions[0]!.valuesDiff).to.deep.equal([{ op: 'replace', path: '/replicas', value: 3 }]);
  });

  it('a pinned exact version is compared even when the chart was not resolved; a constraint is not', () => {
    expect(plan([web({ version: 'v1.2.0', chart: undefined })], [liveWeb()]).actions.map((a) => a.id)).to.deep.equal(['upgrade-helm-release:apps/web']);
    expect(plan([web({ version: '^1.0.0', chart: undefined })], [liveWeb()]).actions).to.deep.equal([]);
  });

  it('values diffs never show a secret; a change only in secrets still upgrades, and says so', () => {
    const p = plan([web({ values: { replicas: 1, db: { password: 'new-pass-4e1f' } } })], [liveWeb({ config: { replicas: 1, db: { password: 'old-pass-93ab' } } })]);
    const upgrade = p.actions[0]!;
    expect(upgrade.reason).to.equal("its values differ from the manifest's in redacted (secret) values (helmReleases[0])");
    expect(upgrade.valuesDiff ?? []).to.deep.equal([]);
    const fresh = plan([web({ values: { db: { password: 'new-pass-4e1f', host: 'db.apps' } } })], []);
    expect(fresh.actions[0]!.valuesDiff).to.deep.equal([{ op: 'add', path: '/db', value: { password: '[REDACTED]', host: 'db.apps' } }]);
    for (const text of [renderPlanJson(p), renderPlanJson(fresh), renderPlanHuman(fresh, { verbose: true })]) {
      expect(text).not.to.match(/new-pass-4e1f|old-pass-93ab/);
    }
    expect(renderPlanHuman(fresh, { verbose: true })).to.include('add /db {"password":"[REDACTED]","host":"db.apps"}');
  });

  it('uninstalls releases the ownership record names that left the manifest, last; leaves the others alone and lists them', () => {
    // As the probe lists them: by namespace, then name.
    const live = [liveRelease('old', { chartVersion: '2.0.0' }), liveWeb(), liveRelease('kubeones', { namespace: 'legacy' }), liveRelease('theirs', { namespace: 'other', managed: false })];
    const p = plan([web()], live, { recorded: ['apps/web', 'apps/old'] });
    expect(helmIds(p).map((id) => [id, p.actions.find((a) => a.id === id)!.change])).to.deep.equal([['uninstall-helm-release:apps/old', '-']]);
    expect(p.actions[0]!.reason).to.equal('release old in namespace apps (old 2.0.0) is kubeone\'s (ConfigMap kube-system/kubeone-ownership) and is no longer in helmReleases');
    // KubeOne's label alone (legacy/kubeones) does not make a release this tool's: listed, left alone.
    expect(p.warnings).to.deep.equal([
      "helm releases kubeone did not install are left alone: legacy/kubeones (kubeones 1.0.0, labelled kubeone.k8c.io/released-by-kubeone: KubeOne's?), other/theirs (theirs 1.0.0); `helm uninstall -n NAMESPACE RELEASE` removes one",
    ]);
    // The record is written after the uninstall, without the release.
    const record = p.actions.find((a) => a.kind === 'record-ownership')!;
    expect(record.dependsOn).to.include('uninstall-helm-release:apps/old');
    expect((record.steps[0]!.params as { record: { helmReleases?: string[] } }).record.helmReleases).to.deep.equal(['apps/web']);
    const both = plan([web({ chartVersion: '1.1.0' })], [liveWeb(), liveRelease('old')], { recorded: ['apps/old'] });
    expect(helmIds(both)).to.deep.equal(['upgrade-helm-release:apps/web', 'uninstall-helm-release:apps/old']);
    expect(both.actions[1]!.dependsOn).to.deep.equal(['upgrade-helm-release:apps/web']);
    // No record (a cluster another tool built, or a record that could not be read): nothing is uninstalled.
    expect(helmIds(plan([web()], live))).to.deep.equal([]);
  });

  it('records the releases kubeone installs or upgrades, not those it finds as the manifest asks', () => {
    const recordOf = (p: Plan) => (p.actions.find((a) => a.kind === 'record-ownership')?.steps[0]!.params as { record: { helmReleases?: string[] } } | undefined)?.record.helmReleases;
    const p = plan([web({ chartVersion: '1.1.0' }), desiredRelease('db', { index: 1 }), desiredRelease('cache', { index: 2 })], [liveWeb(), liveRelease('cache')], { recorded: [] });
    expect(recordOf(p)).to.deep.equal(['apps/db', 'apps/web']);
    const record = p.actions.find((a) => a.kind === 'record-ownership')!;
    expect(record.dependsOn).to.include.members(['upgrade-helm-release:apps/web', 'install-helm-release:apps/db']);
    expect(record.reason).to.include('helm release(s) +2 (apps/db, apps/web)');
    // A recorded release that someone else uninstalled leaves the record; a release that is not read keeps its entry.
    expect(recordOf(plan([web()], [liveWeb()], { recorded: ['apps/web', 'apps/gone'] }))).to.deep.equal(['apps/web']);
    expect(recordOf(plan([web()], undefined, { recorded: ['apps/web', 'apps/gone'] }))).to.deep.equal(['apps/gone', 'apps/web']);
  });

  it('a release of the manifest that someone else installed is taken over only when it must change', () => {
    expect(plan([web()], [liveWeb({ managed: false })]).actions).to.deep.equal([]);
    const p = plan([web({ chartVersion: '1.1.0' })], [liveWeb({ managed: false })]);
    expect(p.actions[0]!.reason).to.include('it was not installed by kubeone (no kubeone.k8c.io/released-by-kubeone label) and is taken over');
    // KubeOne's label without kubeone's record: taken over too, and said so; a recorded release is simply upgraded.
    const kubeones = plan([web({ chartVersion: '1.1.0' })], [liveWeb()], { recorded: [] }).actions.find((a) => a.kind === 'upgrade-helm-release')!;
    expect(kubeones.reason).to.include("it carries the kubeone.k8c.io/released-by-kubeone label but ConfigMap kube-system/kubeone-ownership does not name it (KubeOne's?): it is taken over");
    const ours = plan([web({ chartVersion: '1.1.0' })], [liveWeb()], { recorded: ['apps/web'] }).actions.find((a) => a.kind === 'upgrade-helm-release')!;
    expect(ours.reason).to.equal('chart web is at version 1.0.0, the manifest asks for 1.1.0 (helmReleases[0])');
  });

  it('refuses what needs a chart helm could not find, and what waits for it; only warns when nothing needs it', () => {
    const down = { error: 'helm release apps/web: chart web from http://127.0.0.1:9: connection refused' };
    const p = plan([web({ chart: down }), desiredRelease('db', { index: 1 })], []);
    expect(p.actions).to.deep.equal([]);
    expect(p.refusals.map((r) => [r.rule, r.message])).to.deep.equal([
      ['chart-unavailable', 'helm release apps/web: chart web from http://127.0.0.1:9: connection refused (helmReleases[0])'],
      ['blocked', 'install helm release apps/db: not planned because install-helm-release:apps/web is refused'],
    ]);
    const unchanged = plan([web({ chart: down })], [liveWeb()]);
    expect(unchanged.actions).to.deep.equal([]);
    expect(unchanged.refusals).to.deep.equal([]);
    expect(unchanged.warnings).to.deep.equal([`helm release apps/web: a newer chart version was not checked: ${down.error}`]);
    expect(plan([web({ chart: down, values: { replicas: 2 } })], [liveWeb()]).refusals.map((r) => r.rule)).to.deep.equal(['chart-unavailable']);
  });

  it('refuses to touch a release a helm operation is pending on', () => {
    const p = plan([web({ chartVersion: '1.1.0' })], [liveWeb({ status: 'pending-upgrade', revision: 3 })]);
    expect(p.actions).to.deep.equal([]);
    expect(p.refusals.map((r) => [r.rule, r.message])).to.deep.equal([['release-pending', 'helm release apps/web is pending-upgrade (revision 3): a helm operation on it is running or was interrupted']]);
  });

  it('repairs a release an interrupted run of ours left pending: rollback or uninstall, then upgrade', () => {
    const upgrading = plan([web({ chartVersion: '1.1.0' })], [liveWeb({ status: 'pending-upgrade', revision: 3 })], { interrupted: ['apps/web'] });
    expect(upgrading.refusals).to.deep.equal([]);
    expect(upgrading.actions.map((a) => [a.id, a.title, a.reason, a.steps.map((st) => st.op)])).to.deep.equal([
      [
        'upgrade-helm-release:apps/web',
        'repair helm release apps/web',
        'an interrupted kubeone run left revision 3 pending-upgrade: roll back to the previous revision, then install web 1.1.0 (helmReleases[0])',
        ['helm.release.rollback', 'helm.release.apply'],
      ],
    ]);
    const installing = plan([web()], [liveWeb({ status: 'pending-install' })], { interrupted: ['apps/web'] });
    expect(installing.actions.map((a) => a.steps.map((st) => st.op))).to.deep.equal([['helm.release.uninstall', 'helm.release.apply']]);
    // Not ours (no label), or not our interrupted run: someone else's operation, refused.
    expect(plan([web()], [liveWeb({ status: 'pending-upgrade', managed: false })], { interrupted: ['apps/web'] }).refusals.map((r) => r.rule)).to.deep.equal(['release-pending']);
    expect(plan([web()], [liveWeb({ status: 'pending-upgrade' })], { interrupted: ['apps/other'] }).refusals.map((r) => r.rule)).to.deep.equal(['release-pending']);
  });

  it('plans nothing, with a warning, when the releases were not read', () => {
    const p = plan([web()], undefined);
    expect(helmIds(p)).to.deep.equal([]);
    expect(p.warnings).to.include('helm releases were not read from the cluster; they were not checked');
  });

  it('a new cluster: the releases are installed after the init and the addons', () => {
    const want = desiredState({ version: '1.35.1', controlPlanes: ['cp-1'], addons: [addon('cni', [{ kind: 'ConfigMap', name: 'cni' }])] });
    want.helmReleases = [web()];
    const b = new SnapshotBuilder();
    b.host('cp-1', 'controlPlane');
    const p = computePlan(want, b.build(), NOW);
    const install = p.actions.find((a) => a.id === 'install-helm-release:apps/web')!;
    expect(install.dependsOn).to.have.members(['apply-addon:cni', 'init-control-plane:cp-1']);
    // Last but the ownership record, which comes after every action.
    expect(p.actions.filter((a) => a.kind !== 'record-ownership').at(-1)!.id).to.equal('install-helm-release:apps/web');
  });
});

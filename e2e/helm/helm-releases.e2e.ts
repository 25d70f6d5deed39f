// helmReleases end to end, as a user runs it: the built CLI against a sandbox cluster, charts
// from repositories served on 127.0.0.1 by the test (made with helm create, helm package and
// helm repo index; one behind basic auth), the real helm v4 as the client (--helm-binary) and
// as the judge. One fleet for every case: install (helm sees it deployed, the second plan is
// empty), a version bump and a values change upgrade, removing a release uninstalls it while
// releases kubeone did not install (someone's, and KubeOne's labelled ones) are left alone, a repository that does not answer is a clear
// error that touches nothing, and kubeone killed while helm runs leaves a pending release the
// next run repairs. No secret of the manifest reaches the output or the journal.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { type ChartRepo, closedPort, startChartRepo } from '../../pkg/helm/testing/chart-repo.js';
import { realHelm } from '../../pkg/helm/testing/real-helm.js';
import { type Fleet, KUBESIM_BUNDLE_TEMPLATE, startFleet } from '../fleet/index.js';
import { KUBEONE_BIN, kubeone, kubeoneExpect, startKubeone, waitForOutput } from '../lifecycle/cli.js';

const VERSION = '1.35.1';
const run = promisify(execFile);
const DB_PASSWORD = 'db-secret-e2e-5b1c';
const DB_PASSWORD_2 = 'db-secret-e2e-8d2f';
const REPO_PASSWORD = 'repo-secret-e2e-3a9e';

type Obj = Record<string, any>;
interface Listed {
  name: string;
  namespace: string;
  revision: string;
  status: string;
  chart: string;
}

describe('helmReleases: charts installed, upgraded and removed with the real helm', function () {
  this.timeout(1_200_000);
  let fleet: Fleet;
  let dir: string;
  let manifestPath: string;
  let kubeconfigPath: string;
  let repo: ChartRepo;
  let privateRepo: ChartRepo;
  let manifest: Obj;
  const outputs: string[] = [];

  const helm = async (...args: string[]): Promise<string> => (await run(realHelm(), ['--kubeconfig', kubeconfigPath, ...args], { timeout: 120_000 })).stdout;
  /** Every release helm lists (deployed, failed, pending), by namespace. */
  const releases = async (): Promise<Listed[]> =>
    (JSON.parse(await helm('list', '--all-namespaces', '--deployed', '--failed', '--pending', '-o', 'json')) as Listed[])
      .map(({ name, namespace, revision, status, chart }) => ({ name, namespace, revision, status, chart }))
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  const kubectl = async (...args: string[]): Promise<Obj> => JSON.parse((await run('kubectl', ['--kubeconfig', kubeconfigPath, ...args, '-o', 'json'], { timeout: 60_000 })).stdout) as Obj;
  const save = () => writeFileSync(manifestPath, stringify(manifest));
  const cli = async (args: string[], expected?: number) => {
    const full = [...args, '-m', manifestPath, '--helm-binary', realHelm()];
    const r = expected === undefined ? await kubeone(full, dir) : await kubeoneExpect(expected, full, dir);
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const web = (): Obj => manifest.helmReleases.find((r: Obj) => r.releaseName === 'web');

  before(async function () {
    if (!existsSync(KUBESIM_BUNDLE_TEMPLATE.replace('{arch}', 'amd64').replace('{version}', VERSION))) this.skip();
    if (!existsSync(KUBEONE_BIN)) throw new Error(`${KUBEONE_BIN} is missing: run npm run build`);
    repo = await startChartRepo(realHelm());
    await repo.addChart('web', '0.1.0');
    await repo.addChart('web', '0.2.0');
    privateRepo = await startChartRepo(realHelm(), { auth: { username: 'reader', password: REPO_PASSWORD } });
    await privateRepo.addChart('internal', '1.0.0', { withDeployment: false });
    fleet = await startFleet({ controlPlanes: 1, workers: 0, kubernetesVersion: VERSION });
    dir = path.dirname(fleet.manifestPath);
    manifest = parse(readFileSync(fleet.manifestPath, 'utf8')) as Obj;
    manifest.helmReleases = [
      { chart: 'web', repoURL: repo.url, releaseName: 'web', namespace: 'apps', version: '0.1.0', values: [{ inline: { greeting: 'hello from kubeone', db: { password: DB_PASSWORD } } }] },
      { chart: 'internal', repoURL: privateRepo.url, namespace: 'tools', auth: { username: 'reader', password: REPO_PASSWORD } },
    ];
    manifestPath = path.join(dir, 'helm.yaml');
    save();
  });

  after(async function () {
    this.timeout(180_000);
    await fleet?.destroy();
    await repo?.close();
    await privateRepo?.close();
  });

  it('apply installs the cluster and the releases: helm sees them deployed; the second plan is empty', async () => {
    const applied = await cli(['apply', '-y'], 0);
    expect(applied.stdout).to.include('+ install helm release apps/web: helmReleases[0] asks for web 0.1.0 and no release web exists in namespace apps');
    expect(applied.stdout).to.include('+ install helm release tools/internal');
    const kubeconfig = await kubeoneExpect(0, ['kubeconfig', '-m', manifestPath], dir);
    kubeconfigPath = path.join(dir, 'admin.conf');
    writeFileSync(kubeconfigPath, kubeconfig.stdout, { mode: 0o600 });
    expect(await releases()).to.deep.equal([
      { name: 'web', namespace: 'apps', revision: '1', status: 'deployed', chart: 'web-0.1.0' },
      { name: 'internal', namespace: 'tools', revision: '1', status: 'deployed', chart: 'internal-1.0.0' },
    ]);
    expect(JSON.parse(await helm('get', 'values', 'web', '-n', 'apps', '-o', 'json'))).to.deep.equal({ greeting: 'hello from kubeone', db: { password: DB_PASSWORD } });
    expect((await kubectl('-n', 'apps', 'get', 'configmap', 'web-settings')).data.greeting).to.equal('hello from kubeone');
    // KubeOne's label on helm's storage Secret, and kubeone's own record of the releases it installed.
    const storage = await kubectl('-n', 'apps', 'get', 'secrets', '-l', 'owner=helm,name=web');
    expect(storage.items.map((s: Obj) => s.metadata.labels['kubeone.k8c.io/released-by-kubeone'])).to.deep.equal(['']);
    const record = JSON.parse((await kubectl('-n', 'kube-system', 'get', 'configmap', 'kubeone-ownership')).data['record.json']) as Obj;
    expect(record.helmReleases).to.deep.equal(['apps/web', 'tools/internal']);
    // apply itself probes and plans again after the run and exits 1 unless that plan is empty;
    // once here as a user would, the later cases rely on apply's exit code for it.
    const plan = await cli(['plan', '--detailed-exitcode']);
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).to.equal(0);
  });

  it('a chart version bump plans an upgrade with its reason, and applies it', async () => {
    web().version = '0.2.0';
    save();
    const plan = await cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).to.equal(2);
    expect(plan.stdout).to.include('~ upgrade helm release apps/web: chart web is at version 0.1.0, the manifest asks for 0.2.0 (helmReleases[0])');
    expect(plan.stdout).to.include('Plan: 0 to add, 1 to change, 0 to destroy.');
    await cli(['apply', '-y'], 0);
    expect((await releases()).find((r) => r.name === 'web')).to.deep.equal({ name: 'web', namespace: 'apps', revision: '2', status: 'deployed', chart: 'web-0.2.0' });
    expect((await cli(['plan', '--detailed-exitcode'])).code).to.equal(0);
  });

  it('a values change plans an upgrade whose values diff hides the secret, and applies it', async () => {
    web().values = [{ inline: { greeting: 'bonjour', db: { password: DB_PASSWORD_2 } } }];
    save();
    const plan = await cli(['plan', '--detailed-exitcode', '-v']);
    expect(plan.code, plan.stdout + plan.stderr).to.equal(2);
    expect(plan.stdout).to.include("~ upgrade helm release apps/web: its values differ from the manifest's (helmReleases[0])");
    expect(plan.stdout).to.include('replace /greeting "bonjour"');
    const json = JSON.parse((await cli(['plan', '-o', 'json'], 0)).stdout) as Obj;
    expect(json.actions.map((a: Obj) => [a.id, a.valuesDiff])).to.deep.equal([['upgrade-helm-release:apps/web', [{ op: 'replace', path: '/greeting', value: 'bonjour' }]]]);
    await cli(['apply', '-y'], 0);
    expect((await kubectl('-n', 'apps', 'get', 'configmap', 'web-settings')).data.greeting).to.equal('bonjour');
    expect(JSON.parse(await helm('get', 'values', 'web', '-n', 'apps', '-o', 'json')).db).to.deep.equal({ password: DB_PASSWORD_2 });
    expect((await releases()).find((r) => r.name === 'web')!.revision).to.equal('3');
  });

  it('removing a release from the manifest uninstalls it; releases kubeone did not install are left alone and listed', async () => {
    await helm('install', 'theirs', path.join(repo.dir, 'web-0.1.0.tgz'), '-n', 'other', '--create-namespace');
    // As KubeOne leaves its releases: labelled, but not in kubeone's ownership record.
    await helm('install', 'kubeones', path.join(repo.dir, 'web-0.1.0.tgz'), '-n', 'legacy', '--create-namespace', '--labels', 'kubeone.k8c.io/released-by-kubeone=');
    manifest.helmReleases = manifest.helmReleases.filter((r: Obj) => r.releaseName !== 'web');
    save();
    const plan = await cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).to.equal(2);
    expect(plan.stdout).to.include("- uninstall helm release apps/web: release web in namespace apps (web 0.2.0) is kubeone's (ConfigMap kube-system/kubeone-ownership)");
    expect(plan.stdout).to.include(
      "helm releases kubeone did not install are left alone: legacy/kubeones (web 0.1.0, labelled kubeone.k8c.io/released-by-kubeone: KubeOne's?), other/theirs (web 0.1.0)",
    );
    // The ownership record forgets the release in the same apply.
    expect(plan.stdout).to.include("~ record what kubeone manages in ConfigMap kube-system/kubeone-ownership: what kubeone manages changes: helm release(s) -1 (apps/web)");
    expect(plan.stdout).to.include('Plan: 0 to add, 1 to change, 1 to destroy.');
    await cli(['apply', '-y'], 0);
    expect(await releases()).to.deep.equal([
      { name: 'kubeones', namespace: 'legacy', revision: '1', status: 'deployed', chart: 'web-0.1.0' },
      { name: 'theirs', namespace: 'other', revision: '1', status: 'deployed', chart: 'web-0.1.0' },
      { name: 'internal', namespace: 'tools', revision: '1', status: 'deployed', chart: 'internal-1.0.0' },
    ]);
    expect((await kubectl('-n', 'apps', 'get', 'configmaps')).items.map((c: Obj) => c.metadata.name)).not.to.include('web-settings');
    expect((JSON.parse((await kubectl('-n', 'kube-system', 'get', 'configmap', 'kubeone-ownership')).data['record.json']) as Obj).helmReleases).to.deep.equal(['tools/internal']);
  });

  it('a repository that does not answer is a clear error naming the release, and nothing is touched', async () => {
    const closed = await closedPort();
    const before = await releases();
    // A change that would run, and a release whose repository is down.
    manifest.helmReleases[0].values = [{ inline: { greeting: 'changed' } }];
    manifest.helmReleases.push({ chart: 'web', repoURL: `http://127.0.0.1:${closed}`, releaseName: 'broken', namespace: 'broken' });
    save();
    const applied = await cli(['apply', '-y'], 1);
    expect(applied.stderr).to.include('the plan refuses to proceed');
    expect(applied.stderr).to.match(new RegExp(`chart-unavailable: helm release broken/broken: chart web from http://127\\.0\\.0\\.1:${closed}: .*connection refused.* \\(helmReleases\\[1\\]\\)`));
    expect(await releases()).to.deep.equal(before);
    expect((await kubectl('get', 'namespaces')).items.map((n: Obj) => n.metadata.name)).not.to.include('broken');
    const plan = await cli(['plan', '--detailed-exitcode']);
    expect(plan.code).to.equal(1);
    manifest.helmReleases.pop();
    manifest.helmReleases[0].values = [];
    save();
    expect((await cli(['plan', '--detailed-exitcode'])).code).to.equal(0);
  });

  it('kubeone killed while helm waits: the next plan repairs the pending release it left, apply converges', async () => {
    manifest.helmReleases.push({ chart: 'web', repoURL: repo.url, releaseName: 'slow', namespace: 'slow', version: '0.1.0', wait: true });
    save();
    // The Deployment never gets ready here (no pods run), so helm waits: kill kubeone meanwhile.
    const running = startKubeone(['apply', '-y', '-l', 'json', '-m', manifestPath, '--helm-binary', realHelm()], dir);
    await waitForOutput(running, (o) => o.split('\n').some((l) => l.includes('"step-started"') && l.includes('install-helm-release:slow/slow')), 'the helm step of slow/slow');
    await new Promise((resolve) => setTimeout(resolve, 5000));
    running.child.kill('SIGKILL');
    const killed = await running.done;
    outputs.push(running.output());
    expect(killed.signal).to.equal('SIGKILL');
    // helm lost its tunnel with kubeone: the release stays pending-install.
    let slow: Listed | undefined;
    for (let i = 0; i < 60 && slow?.status !== 'pending-install'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      slow = (await releases()).find((r) => r.name === 'slow');
    }
    expect(slow).to.include({ status: 'pending-install', revision: '1' });
    manifest.helmReleases.at(-1).wait = false;
    save();
    const plan = await cli(['plan', '--detailed-exitcode', '-v']);
    expect(plan.code, plan.stdout + plan.stderr).to.equal(2);
    expect(plan.stdout).to.include('~ repair helm release slow/slow: an interrupted kubeone run left revision 1 pending-install: uninstall it, then install web 0.1.0 (helmReleases[1])');
    expect(plan.stdout).to.match(/1\. helm uninstall slow\/slow \(ends the interrupted install\)\n.*2\. helm upgrade --install slow\/slow/);
    await cli(['apply', '-y'], 0);
    expect((await releases()).find((r) => r.name === 'slow')).to.deep.equal({ name: 'slow', namespace: 'slow', revision: '1', status: 'deployed', chart: 'web-0.1.0' });
  });

  it('no secret of the manifest reached the output or the journal', () => {
    const journals = readdirSync(path.join(dir, '.kubeone'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'));
    for (const text of [...outputs, ...journals]) {
      for (const secret of [DB_PASSWORD, DB_PASSWORD_2, REPO_PASSWORD]) expect(text).not.to.include(secret);
    }
  });
});

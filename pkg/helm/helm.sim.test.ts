// The helm client, the release reader and the local API tunnel against the simulated
// kube-apiserver (real etcd on loopback) with the real helm v4: what helm stores is what the
// probe reads back (the values hash of a fresh install equals the desired one), credentials
// go on stdin only, the temporary kubeconfig is 0600 and gone afterwards, failures name the
// release and carry helm's message.
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { LocalCluster } from '../../e2e/kubesim/apiserver/testing/local-cluster.js';
import { openLocalApiTunnel } from '../kube/local-tunnel.js';
import { REDACTED } from '../log/redact.js';
import type { HostTransport } from '../ssh/types.js';
import { helmClient, HelmError } from './client.js';
import { releaseMatches } from './compare.js';
import { desiredHelmReleases } from './desired.js';
import { listHelmReleases } from './release-storage.js';
import { type ChartRepo, closedPort, startChartRepo } from './testing/chart-repo.js';
import { realHelm } from './testing/real-helm.js';
import type { DesiredHelmRelease } from './types.js';
import { diffValues } from './values.js';

const run = promisify(execFile);

describe('helm releases on the simulated apiserver, with the real helm', function () {
  this.timeout(180_000);
  let cluster: LocalCluster;
  let core: k8s.CoreV1Api;
  let repo: ChartRepo;
  let privateRepo: ChartRepo;
  let work: string;
  let log: string;
  let wrapper: string;
  let adminConf: string;

  /** Only the tunnel is used: forwardOut dials the apiserver on loopback, as sshd would on the leader. */
  const transport = { host: 'cp-1', forwardOut: async (host: string, port: number) => net.connect(port, host) } as unknown as HostTransport;
  const access = () => openLocalApiTunnel(transport, adminConf, '127.0.0.1', cluster.port);
  const client = () => helmClient({ binary: wrapper });
  const helm = (...args: string[]) => run(realHelm(), ['--kubeconfig', cluster.kubeconfigPath, ...args]);

  async function desired(releases: object[]): Promise<DesiredHelmRelease[]> {
    const cluster = { apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', helmReleases: releases } as never;
    return desiredHelmReleases({ cluster, baseDir: work, credentials: {} });
  }

  before(async () => {
    cluster = await LocalCluster.start();
    adminConf = readFileSync(cluster.kubeconfigPath, 'utf8');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    core = kc.makeApiClient(k8s.CoreV1Api);
    work = mkdtempSync(join(tmpdir(), 'kubeone-helm-test-'));
    log = join(work, 'helm.log');
    // Records every command line helm gets and the mode of the kubeconfig it is given, then runs the real helm.
    wrapper = join(work, 'helm');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nfor a in "$@"; do case "$a" in --kubeconfig=*) f="\${a#--kubeconfig=}"; echo "kubeconfig $(stat -c %a "$f") $f" >> ${log};; esac; done\necho "argv $*" >> ${log}\nexec ${realHelm()} "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    repo = await startChartRepo(realHelm());
    await repo.addChart('web', '0.1.0');
    await repo.addChart('web', '0.2.0', { withDeployment: false });
    privateRepo = await startChartRepo(realHelm(), { auth: { username: 'reader', password: 'repo-pass-7f3a' } });
    await privateRepo.addChart('internal', '1.0.0', { withDeployment: false });
  });

  after(async () => {
    await repo?.close();
    await privateRepo?.close();
    await cluster?.stop();
  });

  it('resolves the latest or the pinned chart version; a repository that does not answer is an error naming the release', async () => {
    const [latest, pinned] = await desired([
      { chart: 'web', repoURL: repo.url, namespace: 'apps', releaseName: 'web' },
      { chart: 'web', repoURL: repo.url, namespace: 'apps', releaseName: 'web', version: '0.1.0' },
    ]);
    expect(await client().showChart(latest!)).to.deep.equal({ name: 'web', version: '0.2.0' });
    expect(await client().showChart(pinned!)).to.deep.equal({ name: 'web', version: '0.1.0' });
    const closed = await closedPort();
    const [down] = await desired([{ chart: 'web', repoURL: `http://127.0.0.1:${closed}`, namespace: 'apps', releaseName: 'down' }]);
    const error = await client().showChart(down!).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(HelmError);
    expect((error as Error).message).to.match(new RegExp(`^helm release apps/down: chart web from http://127\\.0\\.0\\.1:${closed}: .*(connection refused|connect)`));
  });

  it('installs through the tunnel: helm sees it deployed, the probe reads the same values hash, the kubeconfig was 0600 and is gone', async () => {
    writeFileSync(join(work, 'values.yaml'), 'replicaCount: 2\nenabled: yes\nratio: 1.50\ndb:\n  password: db-pass-91c2\n');
    const [web] = await desired([
      { chart: 'web', repoURL: repo.url, namespace: 'apps', releaseName: 'web', version: '0.1.0', values: [{ valuesFile: './values.yaml' }, { inline: { greeting: 'hi', db: { user: 'app' } } }] },
    ]);
    await client().upgradeInstall(web!, access);
    const listed = JSON.parse((await helm('list', '-n', 'apps', '-o', 'json')).stdout) as { name: string; status: string; chart: string }[];
    expect(listed.map((r) => [r.name, r.status, r.chart])).to.deep.equal([['web', 'deployed', 'web-0.1.0']]);
    // helm parsed the values as helm does: `yes` is true (YAML 1.1), 1.50 is 1.5.
    expect(JSON.parse((await helm('get', 'values', 'web', '-n', 'apps', '-o', 'json')).stdout)).to.deep.equal({
      replicaCount: 2,
      enabled: true,
      ratio: 1.5,
      greeting: 'hi',
      db: { password: 'db-pass-91c2', user: 'app' },
    });
    const cm = await core.readNamespacedConfigMap({ name: 'web-settings', namespace: 'apps' });
    expect(cm.data).to.deep.equal({ greeting: 'hi', replicas: '2' });

    const [live] = await listHelmReleases(core, { showValuesOf: new Set(['apps/web']) });
    expect(live).to.include({ name: 'web', namespace: 'apps', revision: 1, status: 'deployed', chart: 'web', chartVersion: '0.1.0', managed: true, valuesHash: web!.valuesHash });
    expect(live!.values).to.deep.include({ db: { password: REDACTED, user: 'app' } });
    expect(diffValues(live!.values, web!.valuesView)).to.deep.equal([]);
    expect(releaseMatches({ ...web!, chart: { name: 'web', version: '0.1.0' } }, live)).to.equal(true);

    const text = readFileSync(log, 'utf8');
    const kubeconfigs = [...text.matchAll(/^kubeconfig (\d+) (.+)$/gm)];
    expect(kubeconfigs.map((m) => m[1])).to.deep.equal(['600']);
    expect(existsSync(kubeconfigs[0]![2]!)).to.equal(false);
    expect(text).not.to.include('db-pass-91c2');
  });

  it('upgrades (version and values), keeps reading the latest revision only, and leaves foreign releases unmanaged', async () => {
    const [web] = await desired([{ chart: 'web', repoURL: repo.url, namespace: 'apps', releaseName: 'web', values: [{ inline: { greeting: 'bonjour' } }] }]);
    await client().upgradeInstall(web!, access);
    await helm('install', 'theirs', join(repo.dir, 'web-0.2.0.tgz'), '-n', 'other', '--create-namespace');
    const live = await listHelmReleases(core, { showValuesOf: new Set(['apps/web']) });
    expect(live.map((r) => [r.namespace, r.name, r.revision, r.chartVersion, r.managed])).to.deep.equal([
      ['apps', 'web', 2, '0.2.0', true],
      ['other', 'theirs', 1, '0.2.0', false],
    ]);
    expect(live[0]!.valuesHash).to.equal(web!.valuesHash);
    expect(live[0]!.values).to.deep.equal({ greeting: 'bonjour' });
    // Values of releases that are not the manifest's are not kept, only their hash.
    expect(live[1]!.values).to.deep.equal({});
    expect((await core.readNamespacedConfigMap({ name: 'web-settings', namespace: 'apps' })).data?.greeting).to.equal('bonjour');
  });

  it('a private repository: the password reaches helm on stdin only', async () => {
    const [internal] = await desired([{ chart: 'internal', repoURL: privateRepo.url, namespace: 'tools', releaseName: 'internal', auth: { username: 'reader', password: 'repo-pass-7f3a' } }]);
    expect(await client().showChart(internal!)).to.deep.equal({ name: 'internal', version: '1.0.0' });
    await client().upgradeInstall(internal!, access);
    expect((await listHelmReleases(core)).find((r) => r.name === 'internal')).to.include({ status: 'deployed', managed: true });
    const text = readFileSync(log, 'utf8');
    expect(text).to.include('argv repo add --username=reader --password-stdin');
    expect(text).not.to.include('repo-pass-7f3a');
    const [wrong] = await desired([{ chart: 'internal', repoURL: privateRepo.url, namespace: 'tools', releaseName: 'internal', auth: { username: 'reader', password: 'not-the-password' } }]);
    const error = await client().showChart(wrong!).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).to.match(/^helm release tools\/internal: chart internal from http:\/\/127\.0\.0\.1:\d+: .*401/);
    expect(error?.message).not.to.include('not-the-password');
  });

  it('wait: true waits with helm\'s status watcher: a Deployment that never gets ready fails the release, named, with helm\'s message', async () => {
    const [slow] = await desired([{ chart: 'web', repoURL: repo.url, namespace: 'slow', releaseName: 'slow', version: '0.1.0', wait: true, timeout: '3s' }]);
    const error = await client().upgradeInstall(slow!, access).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).to.match(/^helm release slow\/slow: .*Deployment\/slow\/slow-web not ready/);
    expect((await listHelmReleases(core)).find((r) => r.name === 'slow')).to.include({ status: 'failed', managed: true });
  });

  it('ends a pending upgrade a killed helm left (rollback), after which the upgrade goes through', async () => {
    const [web] = await desired([{ chart: 'web', repoURL: repo.url, namespace: 'apps', releaseName: 'web', version: '0.1.0' }]);
    // helm killed while it waits: the revision stays pending-upgrade and helm refuses the next upgrade.
    const killed = spawn(realHelm(), ['--kubeconfig', cluster.kubeconfigPath, 'upgrade', 'web', join(repo.dir, 'web-0.1.0.tgz'), '-n', 'apps', '--wait=watcher', '--timeout=60s']);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    killed.kill('SIGKILL');
    expect((await listHelmReleases(core)).find((r) => r.name === 'web')).to.include({ status: 'pending-upgrade' });
    const refused = await client().upgradeInstall(web!, access).then(() => null, (e: Error) => e);
    expect(refused?.message).to.match(/^helm release apps\/web: .*another operation \(install\/upgrade\/rollback\) is in progress/);
    await client().rollback('web', 'apps', access);
    expect((await listHelmReleases(core)).find((r) => r.name === 'web')).to.include({ status: 'deployed', chartVersion: '0.2.0' });
    await client().upgradeInstall(web!, access);
    expect((await listHelmReleases(core)).find((r) => r.name === 'web')).to.include({ status: 'deployed', chartVersion: '0.1.0', managed: true });
  });

  it('uninstalls', async () => {
    await client().uninstall('web', 'apps', access);
    expect((await listHelmReleases(core)).map((r) => r.name)).not.to.include('web');
    expect((await helm('list', '-n', 'apps', '-o', 'json')).stdout.trim()).to.equal('[]');
  });
});

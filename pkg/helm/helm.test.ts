// pkg/helm without a cluster: values merging and redaction, the helm command lines, reading
// releases from helm's storage Secrets.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { V1Secret } from '@kubernetes/client-node';
import { ConfigError } from '../api/errors.js';
import { unsupportedFields } from '../api/validate/unsupported.js';
import { SecretSet } from '../log/redact.js';
import { helmMajorOf, showChartCommands, uninstallArgs, upgradeArgs, upgradeCommands } from './args.js';
import { desiredHelmReleases } from './desired.js';
import { helmReleasesInFlight } from './interrupted.js';
import { interruptedActions } from '../journal/resume.js';
import type { JournalRecord } from '../journal/journal.js';
import { releasesFromSecrets } from './release-storage.js';
import { mergeValues, valuesHash, viewOfValues } from './values.js';

const work = mkdtempSync(join(tmpdir(), 'kubeone-helm-unit-'));
const desired = (releases: object[]) =>
  desiredHelmReleases({ cluster: { apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', helmReleases: releases } as never, baseDir: work, credentials: {} });

describe('helm values', () => {
  it('merge as helm merges several values files: maps key by key, anything else replaced', () => {
    expect(mergeValues({ a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } }, { a: { c: [3], g: true }, d: null, e: 'flat' })).to.deep.equal({ a: { b: 1, c: [3], g: true }, d: null, e: 'flat' });
  });

  it('a release merges its values files and inline entries in order; YAML text as the manifest decodes it', async () => {
    writeFileSync(join(work, 'base.yaml'), 'image:\n  tag: "1.0"\n  pullPolicy: Always\nreplicas: 1\n');
    const [r] = await desired([{ chart: 'web', repoURL: 'https://charts.example', namespace: 'apps', releaseName: 'web', values: [{ valuesFile: 'base.yaml' }, { inline: { image: { tag: '2.0' } } }, { inline: 'replicas: 3\nenabled: yes\n' }] }]);
    expect(r!.values).to.deep.equal({ image: { tag: '2.0', pullPolicy: 'Always' }, replicas: 3, enabled: true });
    expect(r!.valuesHash).to.equal(valuesHash({ enabled: true, replicas: 3, image: { pullPolicy: 'Always', tag: '2.0' } }));
    expect(valuesHash({})).to.equal(valuesHash(null));
  });

  it('values that are not a map are refused with the field path', async () => {
    writeFileSync(join(work, 'list.yaml'), '- a\n- b\n');
    const error = await desired([{ chart: 'web', repoURL: 'https://charts.example', namespace: 'apps', releaseName: 'web', values: [{ inline: { ok: 1 } }, { valuesFile: 'list.yaml' }] }]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).to.deep.equal(['helmReleases[0].values[1].valuesFile']);
  });

  it('the view masks values under secret keys, secret shapes inside strings and known secrets anywhere', () => {
    const view = viewOfValues(
      { db: { password: 'p-1234567', port: 5432, apiKey: 991122 }, url: 'https://user:hunter22@db.example/x', note: 'uses shared-9f8e7d', list: [{ token: 't-abcdefgh' }] },
      new SecretSet(['shared-9f8e7d']),
    );
    expect(view).to.deep.equal({ db: { password: '[REDACTED]', port: 5432, apiKey: '[REDACTED]' }, url: 'https://user:[REDACTED]@db.example/x', note: 'uses [REDACTED]', list: [{ token: '[REDACTED]' }] });
  });
});

describe('helm command lines', () => {
  it('upgrade --install with KubeOne\'s options, every value its own argument, the names after --', async () => {
    const [r] = await desired([{ chart: 'web', repoURL: 'https://charts.example', namespace: 'apps', releaseName: 'web', version: '1.2.3', wait: true, timeout: '10m', insecure: true }]);
    expect(upgradeArgs(r!, { kubeconfig: '/tmp/s/kubeconfig', values: '/tmp/s/values.json' })).to.deep.equal([
      'upgrade', '--install', '--namespace=apps', '--create-namespace', '--kubeconfig=/tmp/s/kubeconfig', '--repo=https://charts.example', '--version=1.2.3',
      '--insecure-skip-tls-verify', '--plain-http', '--values=/tmp/s/values.json', '--reset-values', '--dependency-update', '--history-max=5',
      '--labels=kubeone.k8c.io/released-by-kubeone=', '--wait=watcher', '--timeout=10m', '--', 'web', 'web',
    ]);
    expect(uninstallArgs('web', 'apps', '/k')).to.deep.equal(['uninstall', '--namespace=apps', '--kubeconfig=/k', '--wait=hookOnly', '--', 'web']);
  });

  it('without wait, helm waits for hooks only; a local chart and a chart URL are the chart argument', async () => {
    const [local, url] = await desired([
      { chart: './charts/web', namespace: 'apps', releaseName: 'web' },
      { chartURL: 'https://dl.example/web-1.0.0.tgz', namespace: 'apps', releaseName: 'direct' },
    ]);
    const args = upgradeArgs(local!, { kubeconfig: 'k', values: 'v' });
    expect(args).to.include('--wait=hookOnly').and.include('--timeout=5m');
    expect(args.slice(-3)).to.deep.equal(['--', 'web', join(work, 'charts/web')]);
    expect(showChartCommands(url!)).to.deep.equal([{ args: ['show', 'chart', '--', 'https://dl.example/web-1.0.0.tgz'] }]);
  });

  it('helm 3 (3.13 and later) gets a plain --wait, and no wait flag at all without wait', async () => {
    expect([helmMajorOf('v4.1.4+g05fa379'), helmMajorOf('v3.17.2+gcc0bbbd'), helmMajorOf('v3.12.3'), helmMajorOf('garbage')]).to.deep.equal([4, 3, null, null]);
    const [waiting, plain] = await desired([
      { chart: 'web', repoURL: 'https://charts.example', namespace: 'apps', releaseName: 'web', wait: true },
      { chart: 'web', repoURL: 'https://charts.example', namespace: 'apps', releaseName: 'web2' },
    ]);
    expect(upgradeArgs(waiting!, { kubeconfig: 'k', values: 'v' }, 3).filter((a) => a.startsWith('--wait'))).to.deep.equal(['--wait']);
    expect(upgradeArgs(plain!, { kubeconfig: 'k', values: 'v' }, 3).filter((a) => a.startsWith('--wait'))).to.deep.equal([]);
    expect(uninstallArgs('web', 'apps', 'k', 3)).to.deep.equal(['uninstall', '--namespace=apps', '--kubeconfig=k', '--', 'web']);
  });

  it('repository and registry credentials go on stdin, never on a command line', async () => {
    const [repo, oci] = await desired([
      { chart: 'web', repoURL: 'https://charts.example', namespace: 'apps', releaseName: 'web', auth: { username: 'me', password: 'pw-5c1d9e' } },
      { chartURL: 'oci://registry.example:5000/charts/web', namespace: 'apps', releaseName: 'oci', auth: { username: 'me', password: 'pw-5c1d9e' }, insecure: true },
    ]);
    const repoCommands = upgradeCommands(repo!, { kubeconfig: 'k', values: 'v' });
    expect(repoCommands[0]).to.deep.equal({ args: ['repo', 'add', '--username=me', '--password-stdin', '--', 'kubeone-release-0', 'https://charts.example'], stdin: 'pw-5c1d9e' });
    expect(repoCommands[1]!.args.slice(-3)).to.deep.equal(['--', 'web', 'kubeone-release-0/web']);
    expect(repoCommands[1]!.args.join(' ')).not.to.include('--repo=');
    const ociCommands = showChartCommands(oci!);
    expect(ociCommands[0]).to.deep.equal({ args: ['registry', 'login', '--username=me', '--password-stdin', '--insecure', '--plain-http', '--', 'registry.example:5000'], stdin: 'pw-5c1d9e' });
    for (const c of [...repoCommands, ...ociCommands]) expect(c.args.join(' ')).not.to.include('pw-5c1d9e');
  });
});

describe('helm credentials for a direct chart URL', () => {
  it('are refused for http(s) (helm takes them only on its command line), accepted for oci:// and repositories', () => {
    const auth = { username: 'u', password: 'p' };
    const refused = (hr: object) => unsupportedFields({ apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', helmReleases: [hr] }).map((i) => i.path);
    expect(refused({ chartURL: 'https://dl.example/x-1.0.0.tgz', releaseName: 'x', namespace: 'n', auth })).to.deep.equal(['helmReleases[0].auth']);
    expect(refused({ chartURL: 'oci://registry.example/x', releaseName: 'x', namespace: 'n', auth })).to.deep.equal([]);
    expect(refused({ chart: 'x', repoURL: 'https://charts.example', namespace: 'n', auth })).to.deep.equal([]);
  });
});

describe('helm releases an interrupted run was working on (journal)', () => {
  it('are those whose helm step started and never ended, until a checkpoint', () => {
    const r = (actionId: string, stepId: string, event: JournalRecord['event']): JournalRecord => ({ ts: 't', runId: 'r', actionId, stepId, event });
    const records = [
      r('install-helm-release:apps/done', 'helm.release.apply', 'started'),
      r('install-helm-release:apps/done', 'helm.release.apply', 'finished'),
      r('install-helm-release:apps/done', '', 'finished'),
      r('upgrade-helm-release:apps/failed', 'helm.release.apply', 'started'),
      r('upgrade-helm-release:apps/failed', 'helm.release.apply', 'failed'),
      r('upgrade-helm-release:apps/web', 'helm.release.apply', 'started'),
      r('uninstall-helm-release:tools/old', 'helm.release.uninstall', 'started'),
      r('apply-addon:cni', 'addon.apply', 'started'),
    ];
    expect(helmReleasesInFlight(interruptedActions(records))).to.deep.equal(['apps/web', 'tools/old']);
    expect(helmReleasesInFlight(interruptedActions([...records, { ts: 't', runId: 'r', actionId: '*', stepId: '', event: 'finished' }]))).to.deep.equal([]);
  });
});

describe('helm release storage', () => {
  const secret = (name: string, version: number, status: string, release: object, opts: { labels?: Record<string, string>; gzip?: boolean } = {}): V1Secret => {
    const json = Buffer.from(JSON.stringify(release));
    const stored = Buffer.from((opts.gzip === false ? json : gzipSync(json)).toString('base64')).toString('base64');
    return {
      type: 'helm.sh/release.v1',
      metadata: { name: `sh.helm.release.v1.${name}.v${version}`, namespace: 'apps', labels: { owner: 'helm', name, version: String(version), status, ...opts.labels } },
      data: { release: stored },
    };
  };
  const release = (name: string, version: number, status: string, config?: object) => ({
    name,
    namespace: 'apps',
    version,
    info: { status },
    chart: { metadata: { name: 'web', version: `1.0.${version}`, appVersion: '1.0' } },
    ...(config ? { config } : {}),
  });

  it('the latest revision of each release, decoded; uninstalled releases are gone; the label says whose it is', () => {
    const facts = releasesFromSecrets(
      [
        secret('web', 2, 'deployed', release('web', 2, 'deployed', { replicas: 2 }), { labels: { 'kubeone.k8c.io/released-by-kubeone': '' } }),
        secret('web', 3, 'failed', release('web', 3, 'failed', { replicas: 3 }), { labels: { 'kubeone.k8c.io/released-by-kubeone': '' } }),
        secret('plain', 1, 'deployed', release('plain', 1, 'deployed'), { gzip: false }),
        secret('gone', 4, 'uninstalled', release('gone', 4, 'uninstalled')),
        { type: 'Opaque', metadata: { name: 'x', namespace: 'apps', labels: { owner: 'helm' } } },
      ],
      { showValuesOf: new Set(['apps/web']) },
    );
    expect(facts).to.deep.equal([
      { name: 'plain', namespace: 'apps', revision: 1, status: 'deployed', chart: 'web', chartVersion: '1.0.1', appVersion: '1.0', valuesHash: valuesHash({}), values: {}, managed: false },
      { name: 'web', namespace: 'apps', revision: 3, status: 'failed', chart: 'web', chartVersion: '1.0.3', appVersion: '1.0', valuesHash: valuesHash({ replicas: 3 }), values: { replicas: 3 }, managed: true },
    ]);
  });
});

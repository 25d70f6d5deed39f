// The day-2 commands on one sandbox cluster (1 control plane), through the built CLI only,
// judged by the hosts and by real clients: apply --no-init, then apply (PKI backup beside the
// manifest); etcd members / defragment / disarm / snapshot (restored with etcdctl on the
// host); kubeconfig generate (subject read with openssl, used by the real kubectl); proxy (the
// real kubectl through it, to a name only the control plane resolves); ui (the dashboard behind
// its token, judged by kubectl and etcdctl); apply --force-install
// and --force-upgrade at the same version; a new apiEndpoint name, then certificates status
// and certificates renew (new start dates on the host, the name in the certificate); the
// drift-detection image built from the Dockerfile (hack/build-image.sh) run with docker run.
import { execFile } from 'node:child_process';
import { chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { expect } from 'chai';
import { parse, stringify } from 'yaml';

import { journalPath, readJournal } from '../../pkg/journal/journal.js';
import type { Plan } from '../../pkg/plan/types.js';
import { type Fleet, KUBESIM_BUNDLE_TEMPLATE, REPO_ROOT, HOST_ETCDCTL, scenarioHooks, startFleet } from '../fleet/index.js';
import { KUBEONE_BIN, kubeone, manifestSession, startKubeone, waitForOutput } from '../lifecycle/cli.js';

const VERSION = '1.35.1';
const run = promisify(execFile);
type Manifest = Record<string, any>;

describe('day-2 commands through the CLI on one control plane', function () {
  this.timeout(1_200_000);
  let fleet: Fleet;
  let dir: string;
  let manifestPath: string;
  let manifest: Manifest;

  const onHost = (script: string): Promise<string> => fleet.script('cp-1', script);
  const { write, k1 } = manifestSession(() => ({ manifestPath, dir }));
  const etcdctl = (args: string) =>
    onHost(`${HOST_ETCDCTL} ${args}`);
  const certDates = async (): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const c of ['apiserver', 'apiserver-kubelet-client', 'front-proxy-client', 'etcd/server']) {
      out[c] = (await onHost(`openssl x509 -noout -startdate -in /etc/kubernetes/pki/${c}.crt`)).trim();
    }
    return out;
  };

  before(async function () {
    if (!existsSync(KUBESIM_BUNDLE_TEMPLATE.replace('{arch}', 'amd64').replace('{version}', VERSION))) this.skip();
    if (!existsSync(KUBEONE_BIN)) throw new Error(`${KUBEONE_BIN} is missing: run npm run build`);
    fleet = await startFleet({ controlPlanes: 1, workers: 0, kubernetesVersion: VERSION, readyTimeoutMs: 120_000 });
    dir = path.dirname(fleet.manifestPath);
    manifest = parse(readFileSync(fleet.manifestPath, 'utf8')) as Manifest;
    manifestPath = path.join(dir, 'day2.yaml');
    write(manifest);
  });
  scenarioHooks(() => fleet);

  it('apply --no-init prepares the host only; apply installs and writes the PKI backup beside the manifest (0600)', async () => {
    await k1('apply', '-y', '--no-init');
    expect((await onHost('kubeadm version -o short')).trim()).to.equal(`v${VERSION}`);
    expect((await fleet.exec('cp-1', 'test -e /etc/kubernetes/admin.conf')).exitCode, 'no cluster after --no-init').to.not.equal(0);
    const backup = path.join(dir, `${manifest.name}.tar.gz`);
    expect(existsSync(backup), 'no backup without a CA').to.equal(false);

    await k1('apply', '-y');
    expect(statSync(backup).mode & 0o777).to.equal(0o600);
    const { stdout } = await run('tar', ['-tzf', backup]);
    expect(stdout.split('\n')).to.include('etc/kubernetes/pki/ca.key').and.include('etc/kubernetes/pki/etcd/ca.key');
    // A converged cluster: --no-backup writes none, --backup FILE writes it there.
    rmSync(backup);
    await k1('apply', '-y', '--no-backup');
    expect(existsSync(backup), '--no-backup').to.equal(false);
    const custom = path.join(dir, 'custom-backup.tar.gz');
    await k1('apply', '-y', '--backup', custom);
    expect(statSync(custom).mode & 0o777).to.equal(0o600);
  });

  it('etcd members: KubeOne columns and JSON, the member etcdctl lists', async () => {
    const fromHost = JSON.parse(await etcdctl('member list -w json')) as { members: { ID: number; name: string }[] };
    const table = await k1('etcd', 'members');
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^ID\s+NAME\s+PEER-URLS\s+CLIENT-URLS\s+IS-LEARNER\s+ALARMS$/);
    expect(lines).to.have.length(2);
    expect(lines[1]).to.match(new RegExp(`^\\d+\\s+${fromHost.members[0]!.name}\\s+\\[https://[0-9.]+:2380\\]\\s+\\[https://[0-9.]+:2379\\]\\s+false\\s+\\[\\]$`));
    const json = await k1('etcd', 'members', '-o', 'json');
    // The uint64 ID is printed as digits: compare as text with etcdctl's hex form.
    const id = /"ID": (\d+)/.exec(json.stdout)![1]!;
    const hexFromHost = (await etcdctl('member list -w simple')).split(',')[0]!.trim();
    expect(BigInt(id).toString(16)).to.equal(hexFromHost);
    expect(JSON.parse(json.stdout)[0]).to.include({ Name: fromHost.members[0]!.name, IsLearner: false });
  });

  it('etcd defragment and disarm: by member name, --all; an unknown member is exit 11', async () => {
    const name = ((JSON.parse(await etcdctl('member list -w json')) as { members: { name: string }[] }).members[0]!).name;
    const defrag = await k1('etcd', 'defragment', name);
    expect(defrag.stderr).to.contain(`Defragmented member "${name}" endpoint "https://`);
    expect((await k1('etcd', 'disarm', name)).stderr).to.contain(`Disarmed 0 alarm(s) on member "${name}"`);
    await k1('etcd', 'disarm', '--all');
    for (const args of [['defragment', 'nosuch'], ['disarm', 'nosuch']]) {
      const r = await kubeone(['etcd', ...args, '-m', manifestPath], dir);
      expect(r.code, r.stderr).to.equal(11);
      expect(r.stderr).to.contain('etcd member "nosuch" not found');
    }
  });

  it('etcd snapshot: a 0600 file that etcdctl restores on the host; "-" writes the same kind of stream to stdout', async () => {
    await etcdctl('put /day2/marker written-before-the-snapshot');
    const file = path.join(dir, 'etcd.db');
    await k1('etcd', 'snapshot', file);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    await run('docker', ['cp', file, `${fleet.host('cp-1').containerId}:/tmp/etcd.db`]);
    const status = await onHost('ETCDCTL_API=3 etcdctl snapshot status /tmp/etcd.db -w json');
    expect((JSON.parse(status) as { totalKey: number }).totalKey).to.be.greaterThan(10);
    await onHost('rm -rf /tmp/restored && ETCDCTL_API=3 etcdctl snapshot restore /tmp/etcd.db --data-dir /tmp/restored --name restore --initial-cluster restore=http://127.0.0.1:12380 --initial-advertise-peer-urls http://127.0.0.1:12380');
    // The restored data answers with the key written before the snapshot.
    const restored = await onHost(
      '(etcd --data-dir /tmp/restored --name restore --listen-client-urls http://127.0.0.1:12379 --advertise-client-urls http://127.0.0.1:12379 --listen-peer-urls http://127.0.0.1:12380 >/tmp/restored.log 2>&1 & echo $! > /tmp/restored.pid); ' +
        'for i in $(seq 50); do v=$(ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:12379 get /day2/marker --print-value-only 2>/dev/null) && [ -n "$v" ] && break; sleep 0.2; done; kill $(cat /tmp/restored.pid); echo "$v"',
    );
    expect(restored.trim()).to.equal('written-before-the-snapshot');
    const toStdout = await k1('etcd', 'snapshot', '-');
    expect(toStdout.stdout.length).to.be.greaterThan(1000);
  });

  it('kubeconfig generate: the subject asked for, a TTL, and the real kubectl reaches the API with it', async () => {
    const r = await k1('kubeconfig', 'generate', '--cn', 'alice', '--on', 'devs', '--on', 'ops', '--ttl', '2h');
    const config = parse(r.stdout) as Manifest;
    expect(config['current-context']).to.equal(`alice@${manifest.name}`);
    const certPath = path.join(dir, 'alice.crt');
    writeFileSync(certPath, Buffer.from(config.users[0].user['client-certificate-data'], 'base64'));
    const { stdout: subject } = await run('openssl', ['x509', '-noout', '-subject', '-dates', '-in', certPath]);
    expect(subject).to.match(/subject=O ?= ?devs, O ?= ?ops, CN ?= ?alice/);
    const notBefore = Date.parse(/notBefore=(.*)/.exec(subject)![1]!);
    const notAfter = Date.parse(/notAfter=(.*)/.exec(subject)![1]!);
    expect((notAfter - notBefore) / 60_000).to.be.closeTo(121, 1);
    // Signed by the cluster CA.
    const caPath = path.join(dir, 'cluster-ca.crt');
    writeFileSync(caPath, Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64'));
    await run('openssl', ['verify', '-CAfile', caPath, certPath]);
    const kubeconfigPath = path.join(dir, 'alice.kubeconfig');
    writeFileSync(kubeconfigPath, r.stdout, { mode: 0o600 });
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfigPath, 'get', 'nodes', '-o', 'name'], { timeout: 60_000 });
    expect(stdout.trim().split('\n')).to.have.length(1);

    const admin = parse((await k1('kubeconfig', 'generate', '-s')).stdout) as Manifest;
    writeFileSync(certPath, Buffer.from(admin.users[0].user['client-certificate-data'], 'base64'));
    expect((await run('openssl', ['x509', '-noout', '-subject', '-in', certPath])).stdout).to.match(/O ?= ?system:masters/);
    const missing = await kubeone(['kubeconfig', 'generate', '--cn', 'bob', '-m', manifestPath], dir);
    expect(missing.code).to.equal(15);
    expect(missing.stderr).to.contain('--on flag').and.contain('can not be empty');
  });

  it('proxy: the real kubectl reaches the API through it, at a name only the control plane resolves', async () => {
    const hostname = fleet.host('cp-1').hostname;
    const admin = parse((await k1('kubeconfig')).stdout) as Manifest;
    admin.clusters[0].cluster.server = `https://${hostname}:6443`;
    const kubeconfigPath = path.join(dir, 'via-proxy.kubeconfig');
    writeFileSync(kubeconfigPath, stringify(admin), { mode: 0o600 });
    const direct = await run('kubectl', ['--kubeconfig', kubeconfigPath, 'get', 'nodes', '--request-timeout=5s'], { timeout: 30_000 }).then(
      () => 'reached',
      () => 'not reached',
    );
    expect(direct, `${hostname} must not resolve here`).to.equal('not reached');

    const proxy = startKubeone(['proxy', '--listen', '127.0.0.1:0', '-m', manifestPath], dir);
    try {
      await waitForOutput(proxy, (o) => /export HTTPS_PROXY=http:\/\/127\.0\.0\.1:\d+/.test(o), 'the proxy printed its address');
      const url = /export HTTPS_PROXY=(http:\/\/127\.0\.0\.1:\d+)/.exec(proxy.output())![1]!;
      const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfigPath, 'get', 'nodes', '-o', 'name'], { timeout: 60_000, env: { ...process.env, HTTPS_PROXY: url, NO_PROXY: '' } });
      expect(stdout.trim()).to.match(/^node\//);
    } finally {
      proxy.child.kill('SIGINT');
    }
    expect((await proxy.done).code).to.equal(0);
  });

  it('ui: the dashboard on loopback behind its token lists the Node kubectl lists, with the health etcdctl reports', async () => {
    const adminPath = path.join(dir, 'admin.kubeconfig');
    writeFileSync(adminPath, (await k1('kubeconfig')).stdout, { mode: 0o600 });
    const { stdout: nodes } = await run('kubectl', ['--kubeconfig', adminPath, 'get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'], { timeout: 60_000 });
    const health = JSON.parse(await etcdctl('endpoint health -w json')) as { health: boolean }[];
    expect(health.map((h) => h.health)).to.deep.equal([true]);

    const ui = startKubeone(['ui', '--port', '0', '-m', manifestPath], dir);
    try {
      await waitForOutput(ui, (o) => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.test(o), 'the dashboard printed its URL');
      const url = new URL(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(ui.output())![0]);
      expect((await fetch(new URL('/', url), { redirect: 'manual' })).status).to.equal(401);
      const first = await fetch(url, { redirect: 'manual' });
      expect(first.status).to.equal(303);
      const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
      const page = await fetch(new URL('/', url), { headers: { cookie } });
      expect(page.status).to.equal(200);
      const body = await page.text();
      for (const name of nodes.trim().split(/\s+/)) {
        expect(body).to.match(new RegExp(`<td>${name}</td><td class="Ready">Ready</td>.*?<td class="healthy">healthy</td><td class="healthy">healthy</td>`));
      }
      // A form from another site deletes nothing.
      const forged = await fetch(new URL('/delete-pod', url), {
        method: 'POST',
        headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: url.searchParams.get('token')!, namespace: 'kube-system', name: 'kube-apiserver-cp-1', node: 'cp-1' }),
      });
      expect(forged.status).to.equal(403);
    } finally {
      ui.child.kill('SIGINT');
    }
    expect((await ui.done).code).to.equal(0);
  });

  it('apply --force-install installs the binaries again; --force-upgrade upgrades at the same version; both converge', async () => {
    const journal = journalPath(dir, manifest.name);
    const mark = readJournal(journal).length;
    const kubeletBefore = (await onHost('stat -c %Y.%Z /usr/local/bin/kubelet')).trim();
    await k1('apply', '-y', '--force-install');
    expect((await onHost('stat -c %Y.%Z /usr/local/bin/kubelet')).trim()).to.not.equal(kubeletBefore);

    const plan = await kubeone(['plan', '-m', manifestPath, '--detailed-exitcode'], dir);
    expect(plan.code, plan.stdout).to.equal(0);
    const manifestBefore = (await onHost('stat -c %Y /etc/kubernetes/manifests/kube-apiserver.yaml')).trim();
    await k1('apply', '-y', '--force-upgrade');
    const records = readJournal(journal).slice(mark);
    expect(records.some((r) => r.actionId === `upgrade-control-plane:cp-1:${VERSION}` && r.stepId === 'kubeadm.upgrade.apply' && r.event === 'finished')).to.equal(true);
    expect(records.some((r) => r.stepId === 'host.binaries.install' && r.event === 'finished')).to.equal(true);
    expect((await onHost('stat -c %Y /etc/kubernetes/manifests/kube-apiserver.yaml')).trim()).to.not.equal(manifestBefore);
    const again = await kubeone(['plan', '-m', manifestPath, '--detailed-exitcode'], dir);
    expect(again.code, again.stdout).to.equal(0);
  });

  it('a new apiEndpoint name: certificates status names it missing; certificates renew issues new certificates (new start dates) that carry it', async () => {
    manifest.apiEndpoint.alternativeNames = ['api.day2.example'];
    write(manifest);
    const status = await k1('certificates', 'status');
    expect(status.stdout).to.match(/^HOST\s+CERTIFICATE\s+EXPIRES\s+RESIDUAL TIME/);
    expect(status.stdout).to.match(/cp-1\s+apiserver\.crt\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+\d+d/);
    expect(status.stdout).to.contain('apiserver.crt does not name api.day2.example');
    const planned = JSON.parse((await kubeone(['plan', '-m', manifestPath, '-o', 'json'], dir)).stdout) as Plan;
    expect(planned.actions.map((a) => a.id)).to.include('renew-certificates:cp-1');

    const before = await certDates();
    await new Promise((r) => setTimeout(r, 1100));
    const renew = await k1('certificates', 'renew');
    expect(renew.stdout).to.contain('renew the control-plane certificates on cp-1');
    const after = await certDates();
    for (const c of Object.keys(before)) expect(after[c], c).to.not.equal(before[c]);
    expect(await onHost('openssl x509 -noout -ext subjectAltName -in /etc/kubernetes/pki/apiserver.crt')).to.contain('DNS:api.day2.example');
    const statusAfter = await k1('certificates', 'status', '-o', 'json');
    expect((JSON.parse(statusAfter.stdout) as { missingApiserverNames: unknown[] }).missingApiserverNames).to.deep.equal([]);
    // Renewed and verified: nothing left for apply.
    const plan = await kubeone(['plan', '-m', manifestPath, '--detailed-exitcode'], dir);
    expect(plan.code, plan.stdout).to.equal(0);
  });

  it('the drift-detection image (Dockerfile, hack/build-image.sh) run with docker run: exit 0 converged, 2 on drift, the metrics file written', async () => {
    const tag = `kubeone:e2e-${process.pid}`;
    // As the CronJob mounts them: the manifest naming the mounted key, known_hosts, a writable metrics directory.
    const etc = mkdtempSync(path.join(tmpdir(), 'kubeone-drift-'));
    try {
      await run('bash', [path.join(REPO_ROOT, 'hack', 'build-image.sh'), tag], { timeout: 600_000 });
      const mounted = structuredClone(manifest);
      for (const h of mounted.controlPlane.hosts as Manifest[]) h.sshPrivateKeyFile = '/etc/kubeone/ssh/id';
      writeFileSync(path.join(etc, 'kubeone.yaml'), stringify(mounted));
      mkdirSync(path.join(etc, 'ssh'));
      copyFileSync(fleet.keyPath, path.join(etc, 'ssh', 'id'));
      copyFileSync(path.join(dir, '.kubeone', manifest.name, 'known_hosts'), path.join(etc, 'known_hosts'));
      mkdirSync(path.join(etc, 'metrics'));
      // The image runs as 65534, as in the CronJob.
      for (const f of ['', 'kubeone.yaml', 'ssh', 'ssh/id', 'known_hosts', 'metrics']) chownSync(path.join(etc, f), 65534, 65534);
      const bundles = path.dirname(KUBESIM_BUNDLE_TEMPLATE);
      const check = () =>
        run('docker', ['run', '--rm', '--network', 'host', '-v', `${etc}:/etc/kubeone`, '-v', `${bundles}:${bundles}:ro`, tag,
          'plan', '--detailed-exitcode', '-o', 'json', '-m', '/etc/kubeone/kubeone.yaml', '--known-hosts', '/etc/kubeone/known_hosts', '--metrics-file', '/etc/kubeone/metrics/kubeone.prom'],
        { timeout: 300_000 }).then(() => 0, (e: { code?: number; stdout?: string; stderr?: string }) => {
          if (typeof e.code !== 'number') throw e;
          return e.code === 2 ? 2 : Promise.reject(new Error(`exit ${e.code}: ${e.stdout}\n${e.stderr}`));
        });
      const metric = (name: string): number => Number(new RegExp(`^${name}\\{cluster="${manifest.name}"\\} (\\S+)$`, 'm').exec(readFileSync(path.join(etc, 'metrics', 'kubeone.prom'), 'utf8'))?.[1]);

      expect(await check(), 'converged').to.equal(0);
      expect(metric('kubeone_plan_pending_actions_total')).to.equal(0);
      expect(metric('kubeone_plan_failed')).to.equal(0);

      await onHost("echo '# edited by hand' >> /etc/containerd/config.toml");
      expect(await check(), 'drift').to.equal(2);
      expect(metric('kubeone_plan_pending_actions_total')).to.be.greaterThan(0);
      expect(metric('kubeone_unreachable_hosts')).to.equal(0);
    } finally {
      rmSync(etc, { recursive: true, force: true });
      await run('docker', ['rmi', '-f', tag]).catch(() => undefined);
    }
  });
});

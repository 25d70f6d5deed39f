// The whole life cycle on one sandbox fleet, through the built CLI only, in order:
// install 1.34 -> re-apply is a no-op -> upgrade to 1.36 in one apply (killed once, a
// concurrent apply refused by the lock, re-run converges) -> hand-made drift on a host is
// named by `plan --detailed-exitcode` and repaired by apply -> a control plane replaced by
// a fresh machine is restored -> a worker added, another removed -> reset.
// 3 control planes + 3 worker machines (the manifest starts with two workers), reached
// through a bastion as the non-root `kubeone` user with sudo.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { expect } from 'chai';
import { parse, stringify } from 'yaml';

import { journalPath, readJournal, type JournalRecord } from '../../pkg/journal/journal.js';
import type { Plan } from '../../pkg/plan/types.js';
import type { Snapshot } from '../../pkg/snapshot/types.js';
import { type Fleet, KUBESIM_BUNDLE_TEMPLATE, REPO_ROOT, startFleet } from '../fleet/index.js';
import { KUBEONE_BIN, kubeone, kubeoneExpect, snapshotOf, startKubeone, waitForOutput } from './cli.js';

const FROM = '1.34.3';
const TO = '1.36.0';
const STEP = '1.35.1';
const run = promisify(execFile);

type Manifest = Record<string, any>;

describe('whole life cycle through the CLI: 3 control planes + workers behind a bastion', function () {
  this.timeout(2_400_000);
  let fleet: Fleet;
  let dir: string;
  let manifestPath: string;
  let manifest: Manifest;
  let allWorkers: Manifest[];
  let journal: string;
  let failed = false;

  const write = (m: Manifest): void => writeFileSync(manifestPath, stringify(m));
  const apply = (...extra: string[]) => kubeoneExpect(0, ['apply', '-m', manifestPath, '-y', ...extra], dir);
  const snapshot = (...extra: string[]): Promise<Snapshot> => snapshotOf(manifestPath, dir, extra);
  const journalSince = (n: number): JournalRecord[] => readJournal(journal).slice(n);
  const onHost = async (host: string, script: string): Promise<string> => {
    const r = await fleet.exec(host, script);
    if (r.exitCode !== 0) throw new Error(`${host}: ${script}: ${r.stderr}`);
    return r.stdout;
  };
  const expectNodes = (s: Snapshot, names: string[], version: string): void => {
    const nodes = s.state.kube!.nodes;
    expect(nodes.map((n) => n.name).sort()).to.deep.equal([...names].sort());
    for (const n of nodes) expect(n, n.name).to.include({ ready: true, kubeletVersion: version, unschedulable: false });
  };

  before(async function () {
    for (const v of [FROM, STEP, TO]) if (!existsSync(KUBESIM_BUNDLE_TEMPLATE.replace('{arch}', 'amd64').replace('{version}', v))) this.skip();
    if (!existsSync(KUBEONE_BIN)) throw new Error(`${KUBEONE_BIN} is missing: run npm run build`);
    fleet = await startFleet({ controlPlanes: 3, workers: 3, bastion: true, kubernetesVersion: FROM, readyTimeoutMs: 120_000 });
    dir = path.dirname(fleet.manifestPath);
    // A manifest of our own beside the fleet's (which the fleet rewrites when a host is replaced).
    manifest = parse(readFileSync(fleet.manifestPath, 'utf8')) as Manifest;
    allWorkers = manifest.staticWorkers.hosts;
    manifest.staticWorkers.hosts = allWorkers.slice(0, 2);
    manifestPath = path.join(dir, 'lifecycle.yaml');
    write(manifest);
    journal = journalPath(dir, manifest.name);
  });
  beforeEach(function () {
    // Each step builds on the previous one: after a failure the rest would only add noise.
    if (failed) this.skip();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && !this.currentTest.title.includes('CronJob')) failed = true;
  });
  after(async function () {
    this.timeout(180_000);
    await fleet?.destroy();
  });

  it('installs 1.34 on 3 control planes and 2 workers; the kubeconfig works with the real kubectl', async () => {
    const plan = await kubeone(['plan', '-m', manifestPath, '--detailed-exitcode'], dir);
    expect(plan.code, plan.stderr).to.equal(2);
    await apply();
    const s = await snapshot();
    expectNodes(s, ['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-2'], FROM);
    expect(s.state.kube!.etcdMembers.filter((m) => m.healthy)).to.have.length(3);
    expect(s.state.hosts.every((h) => h.kubelet?.unit.active === 'active'), 'every kubelet active').to.equal(true);

    const kubeconfig = await kubeoneExpect(0, ['kubeconfig', '-m', manifestPath], dir);
    const kubeconfigPath = path.join(dir, 'admin.conf');
    writeFileSync(kubeconfigPath, kubeconfig.stdout, { mode: 0o600 });
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfigPath, 'get', 'nodes', '-o', 'json'], { timeout: 60_000 });
    const names = (JSON.parse(stdout) as { items: { metadata: { name: string } }[] }).items.map((n) => n.metadata.name).sort();
    expect(names).to.deep.equal(['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-2']);
  });

  it('accepts the drift-detection CronJob manifest (kubectl apply --server-side)', async () => {
    const kubeconfigPath = path.join(dir, 'admin.conf');
    const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', kubeconfigPath, ...args], { timeout: 60_000 });
    await kubectl('create', 'namespace', 'kubeone-drift');
    await kubectl('apply', '--server-side', '-f', path.join(REPO_ROOT, 'manifests', 'drift-cronjob.yaml'));
    const cronJob = JSON.parse((await kubectl('-n', 'kubeone-drift', 'get', 'cronjob', 'kubeone-drift', '-o', 'json')).stdout) as Manifest;
    expect(cronJob.spec.schedule).to.equal('*/30 * * * *');
    const script: string = cronJob.spec.jobTemplate.spec.template.spec.containers[0].args[0];
    expect(script).to.contain('kubeone plan --detailed-exitcode').and.contain('--known-hosts');
    await kubectl('delete', 'namespace', 'kubeone-drift', '--wait=false');
  });

  it('re-applying a converged cluster changes nothing', async () => {
    const plan = await kubeone(['plan', '-m', manifestPath, '--detailed-exitcode'], dir);
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).to.equal(0);
    // The same verdict offline, from a saved snapshot (the built CLI finds its snapshot schema).
    const saved = path.join(dir, 'converged.snapshot.json');
    await kubeoneExpect(0, ['snapshot', '-m', manifestPath, '-o', saved], dir);
    const offline = await kubeone(['plan', '-m', manifestPath, '--snapshot', saved, '--detailed-exitcode'], dir);
    expect(offline.code, `${offline.stdout}\n${offline.stderr}`).to.equal(0);
    const before = readJournal(journal).length;
    await apply();
    expect(journalSince(before).filter((r) => r.event === 'started' && r.stepId !== ''), 'steps run by a no-op apply').to.deep.equal([]);
  });

  it('upgrades to 1.36 in one apply through 1.35, leader first; survives a SIGKILL; the lock refuses a second apply', async () => {
    manifest.versions.kubernetes = TO;
    write(manifest);
    const planned = await kubeone(['plan', '-m', manifestPath, '--detailed-exitcode', '-o', 'json'], dir);
    expect(planned.code, planned.stderr).to.equal(2);
    const ids = (JSON.parse(planned.stdout) as Plan).actions.map((a) => a.id).filter((id) => id.startsWith('upgrade-'));
    expect(ids[0]).to.equal(`upgrade-control-plane:cp-1:${STEP}`);
    expect(ids).to.include(`upgrade-worker:worker-2:${STEP}`).and.include(`upgrade-control-plane:cp-1:${TO}`).and.include(`upgrade-worker:worker-2:${TO}`);
    expect(ids.indexOf(`upgrade-control-plane:cp-1:${TO}`)).to.be.greaterThan(ids.indexOf(`upgrade-worker:worker-2:${STEP}`));

    const before = readJournal(journal).length;
    const first = startKubeone(['apply', '-m', manifestPath, '-y', '-l', 'json'], dir);
    await waitForOutput(first, (o) => /"type":"step-started"[^\n]*"action":"upgrade-worker:worker-1:1\.35\.1"/.test(o), 'the first worker upgrade started');
    const second = await kubeone(['apply', '-m', manifestPath, '-y'], dir);
    expect(second.code, 'a concurrent apply').to.not.equal(0);
    expect(`${second.stdout}${second.stderr}`).to.match(/locked/i);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).to.equal('SIGKILL');

    await apply();
    const s = await snapshot();
    expectNodes(s, ['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-2'], TO);
    const records = journalSince(before);
    for (const worker of ['worker-1', 'worker-2']) {
      for (const v of [STEP, TO]) {
        const action = `upgrade-worker:${worker}:${v}`;
        const drained = records.some((r) => r.actionId === action && r.stepId === 'node.drain' && r.event === 'finished');
        expect(drained, `${action} drained`).to.equal(true);
      }
      // Every drain is followed by an uncordon of the same node, whichever run (and action) did it:
      // the SIGKILL may land between the two, and the next run may go straight on to the next minor.
      const lastDrain = records.map((r) => r.stepId === 'node.drain' && r.event === 'finished' && r.node === worker).lastIndexOf(true);
      const uncordonedAfter = records.slice(lastDrain + 1).some((r) => r.stepId === 'node.uncordon' && r.event === 'finished' && r.node === worker);
      expect(uncordonedAfter, `${worker} uncordoned after its last drain`).to.equal(true);
    }
    const plan = await kubeone(['plan', '-m', manifestPath, '--detailed-exitcode'], dir);
    expect(plan.code, plan.stdout).to.equal(0);
  });

  it('names a hand-edited kubelet flag and containerd config in plan (exit 2); apply restores both', async () => {
    const flags = '/var/lib/kubelet/kubeadm-flags.env';
    const containerd = '/etc/containerd/config.toml';
    const flagsBefore = await onHost('worker-1', `cat ${flags}`);
    const containerdBefore = await onHost('worker-1', `cat ${containerd}`);
    await onHost('worker-1', `sed -i 's/"$/ --v=4"/' ${flags} && echo '# edited by hand' >> ${containerd}`);
    expect(await onHost('worker-1', `cat ${flags}`)).to.contain('--v=4');

    const plan = await kubeone(['plan', '-m', manifestPath, '--detailed-exitcode'], dir);
    expect(plan.code, plan.stderr).to.equal(2);
    expect(plan.stdout).to.match(/worker-1[^\n]*(kubelet|kubeadm-flags)|(kubelet|kubeadm-flags)[^\n]*worker-1/);
    expect(plan.stdout).to.match(/worker-1[^\n]*containerd|containerd[^\n]*worker-1/);
    expect(plan.stdout).to.contain(flags).and.contain(containerd);

    await apply();
    expect(await onHost('worker-1', `cat ${flags}`)).to.equal(flagsBefore);
    expect(await onHost('worker-1', `cat ${containerd}`)).to.equal(containerdBefore);
    const again = await kubeone(['plan', '-m', manifestPath, '--detailed-exitcode'], dir);
    expect(again.code, again.stdout).to.equal(0);
  });

  it('restores a replaced control plane: 3 healthy etcd members and 3 Ready control planes', async () => {
    await fleet.replace('cp-3');
    // A new machine answers with a new host key: refused until the operator accepts it.
    const refused = await kubeone(['apply', '-m', manifestPath, '-y'], dir);
    expect(refused.code).to.not.equal(0);
    expect(refused.stderr).to.match(/host key/i).and.contain('cp-3');
    expect((await fleet.exec('cp-3', 'test -e /etc/kubernetes/kubelet.conf')).exitCode, 'cp-3 untouched').to.not.equal(0);

    await apply('--accept-new-host-key', 'cp-3');
    const s = await snapshot();
    expectNodes(s, ['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-2'], TO);
    const members = s.state.kube!.etcdMembers;
    expect(members.map((m) => m.host).sort()).to.deep.equal(['cp-1', 'cp-2', 'cp-3']);
    expect(members.every((m) => m.healthy), JSON.stringify(members)).to.equal(true);
  });

  it('adds a worker, then removes another (drained, deleted, reset)', async () => {
    manifest.staticWorkers.hosts = allWorkers;
    write(manifest);
    await apply();
    expectNodes(await snapshot(), ['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-2', 'worker-3'], TO);

    manifest.staticWorkers.hosts = allWorkers.filter((h) => h.hostname !== 'worker-2');
    write(manifest);
    const before = readJournal(journal).length;
    await apply();
    expectNodes(await snapshot(), ['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-3'], TO);
    const steps = journalSince(before).filter((r) => r.event === 'finished' && r.host === 'worker-2').map((r) => r.stepId);
    expect(steps).to.include('node.drain');
    expect((await fleet.exec('worker-2', 'test -e /etc/kubernetes/kubelet.conf')).exitCode, 'worker-2 reset').to.not.equal(0);
  });

  it('resets the whole cluster', async () => {
    await kubeoneExpect(0, ['reset', '-m', manifestPath, '-y'], dir);
    const s = await snapshot();
    expect(s.state.kube).to.equal(null);
    for (const host of ['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-3']) {
      expect((await fleet.exec(host, 'test -e /etc/kubernetes/kubelet.conf || test -e /etc/kubernetes/admin.conf')).exitCode, host).to.not.equal(0);
    }
  });
});

// Adopting a cluster KubeOne built (issue 16), through the built CLI, on one sandbox fleet
// (1 control plane + 1 worker at 1.34.3), in order:
//   the first `kubeone plan` deletes none of KubeOne's objects and removes no flag (it lists the
//   addons it does not manage, keeps the audit and encryption flags, and records ownership) ->
//   `apply` keeps every object, flag, file and Secret -> the second plan is empty, also with the
//   local .kubeone/ directory gone -> `delete: true` removes exactly that addon, and a `key-`
//   label is removed, in one apply that converges -> an upgrade over two minors in one apply
//   exits 0 and leaves an empty plan, KubeOne's flags still in place.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import type { Plan } from '../../pkg/plan/types.js';
import { type Fleet, KUBESIM_BUNDLE_TEMPLATE, scenarioHooks, startFleet } from '../fleet/index.js';
import { KUBEONE_BIN, kubeone, kubeoneExpect } from '../lifecycle/cli.js';
import {
  AUDIT_FLAGS,
  buildKubeOneCluster,
  CCM_OBJECTS,
  ENCRYPTION_FLAG,
  type KubeOneCluster,
  KUBEONE_NODE_LABEL,
  SNAPSHOT_CRD,
  USER_NODE_LABEL,
  USER_SECRET,
  USER_SNAPSHOT_CLASS,
} from './kubeone-fixture.js';

const FROM = '1.34.3';
const STEP = '1.35.1';
const TO = '1.36.0';

type Manifest = Record<string, any>;

describe('adopting a cluster KubeOne built: nothing of its is deleted or stripped', function () {
  this.timeout(1_800_000);
  let fleet: Fleet;
  let dir: string;
  let manifestPath: string;
  let manifest: Manifest;
  let k1: KubeOneCluster;
  let backupHash: string;

  const write = (m: Manifest): void => writeFileSync(manifestPath, stringify(m));
  const planJson = async (): Promise<{ code: number | null; plan: Plan; stderr: string }> => {
    const r = await kubeone(['plan', '-m', manifestPath, '--detailed-exitcode', '-o', 'json'], dir);
    if (r.code !== 0 && r.code !== 2) throw new Error(`kubeone plan exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    return { code: r.code, plan: JSON.parse(r.stdout) as Plan, stderr: r.stderr };
  };
  const apply = () => kubeoneExpect(0, ['apply', '-m', manifestPath, '-y'], dir);
  const onCp = async (script: string): Promise<string> => {
    const r = await fleet.exec('cp-1', script);
    if (r.exitCode !== 0) throw new Error(`cp-1: ${script}: ${r.stderr}`);
    return r.stdout;
  };
  const exists = async (kind: string, name: string, namespace?: string): Promise<boolean> =>
    k1.kubectl(['get', kind, name, ...(namespace ? ['-n', namespace] : []), '--ignore-not-found', '-o', 'name']).then((out) => out.trim() !== '');
  const nodeLabels = async (node: string): Promise<Record<string, string>> => JSON.parse(await k1.kubectl(['get', 'node', node, '-o', 'json'])).metadata.labels;
  const secretValue = async (): Promise<string> =>
    Buffer.from((await k1.kubectl(['get', 'secret', USER_SECRET.metadata.name, '-n', 'default', '-o', 'jsonpath={.data.password}'])).trim(), 'base64').toString();

  /** Everything of KubeOne's that must survive: objects, flags (stored and running), files, Secrets, labels, the backup. */
  const expectKubeOneFootprint = async (opts: { ccm: boolean }): Promise<void> => {
    for (const o of CCM_OBJECTS) expect(await exists(o.kind, o.metadata.name, o.metadata.namespace), `${o.kind} ${o.metadata.name}`).to.equal(opts.ccm);
    expect(await exists('secret', 'kubeone-ccm-credentials', 'kube-system'), 'KubeOne credentials Secret').to.equal(true);
    expect(await exists('crd', SNAPSHOT_CRD.metadata.name), 'snapshot CRD').to.equal(true);
    expect(await exists('volumesnapshotclass', USER_SNAPSHOT_CLASS.metadata.name), "the user's VolumeSnapshotClass").to.equal(true);
    expect(await secretValue()).to.equal(USER_SECRET.stringData.password);
    const stored = parse(JSON.parse(await k1.kubectl(['get', 'configmap', 'kubeadm-config', '-n', 'kube-system', '-o', 'json'])).data.ClusterConfiguration);
    const storedArgs = Object.fromEntries((stored.apiServer.extraArgs as { name: string; value: string }[]).map((a) => [a.name, a.value]));
    expect(storedArgs).to.include({ ...AUDIT_FLAGS, [ENCRYPTION_FLAG.name]: ENCRYPTION_FLAG.value });
    expect((stored.apiServer.extraVolumes as { name: string }[]).map((v) => v.name)).to.include.members(['audit-conf', 'log', 'encryption-providers-conf']);
    const manifestText = await onCp('cat /etc/kubernetes/manifests/kube-apiserver.yaml');
    for (const [flag, value] of [...Object.entries(AUDIT_FLAGS), [ENCRYPTION_FLAG.name, ENCRYPTION_FLAG.value]]) expect(manifestText).to.contain(`--${flag}=${value}`);
    expect((await onCp('test -s /etc/kubernetes/encryption-providers/encryption-providers.yaml && test -s /etc/kubernetes/audit/policy.yaml && echo ok')).trim()).to.equal('ok');
    expect((await onCp('ls /home/kubeone/kubeone/cfg')).split(/\s+/)).to.include.members(['control_plane_full_0.yaml', 'control_plane_0.yaml']);
    expect((await fleet.exec('worker-1', 'ls /home/kubeone/kubeone/cfg')).stdout.split(/\s+/)).to.include('worker_1.yaml');
    for (const node of ['cp-1', 'worker-1']) expect((await nodeLabels(node))[KUBEONE_NODE_LABEL], node).to.equal('debian');
    // KubeOne's PKI backup is never overwritten: it stays byte-identical, at its path or moved aside to <path>.<UTC time>.
    const backups = readdirSync(path.dirname(k1.pkiBackup))
      .filter((f) => f === path.basename(k1.pkiBackup) || f.startsWith(`${path.basename(k1.pkiBackup)}.`))
      .map((f) => createHash('sha256').update(readFileSync(path.join(path.dirname(k1.pkiBackup), f))).digest('hex'));
    expect(backups, "KubeOne's PKI backup tarball").to.include(backupHash);
  };

  before(async function () {
    for (const v of [FROM, STEP, TO]) if (!existsSync(KUBESIM_BUNDLE_TEMPLATE.replace('{arch}', 'amd64').replace('{version}', v))) this.skip();
    if (!existsSync(KUBEONE_BIN)) throw new Error(`${KUBEONE_BIN} is missing: run npm run build`);
    fleet = await startFleet({ controlPlanes: 1, workers: 1, kubernetesVersion: FROM, readyTimeoutMs: 120_000 });
    dir = path.dirname(fleet.manifestPath);
    manifestPath = fleet.manifestPath;
    manifest = parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    k1 = await buildKubeOneCluster(fleet, manifestPath);
    backupHash = createHash('sha256').update(readFileSync(k1.pkiBackup)).digest('hex');
  });
  scenarioHooks(() => fleet);

  it('the first plan deletes nothing of KubeOne, removes no flag, disrupts nothing, and lists what it leaves alone', async () => {
    const { code, plan } = await planJson();
    expect(code).to.equal(2);
    const summary = plan.actions.map((a) => `${a.change} ${a.id}: ${a.reason}`).join('\n');
    expect(plan.refusals).to.deep.equal([]);
    expect(plan.actions.filter((a) => a.disruptive), summary).to.deep.equal([]);
    expect(plan.actions.filter((a) => a.kind === 'prune-addon' || a.kind === 'reconfigure-control-plane' || a.change === '-'), summary).to.deep.equal([]);
    expect(plan.actions.flatMap((a) => a.objects ?? []).filter((o) => o.change === '-'), summary).to.deep.equal([]);
    expect(plan.actions.map((a) => a.id), summary).to.include('record-ownership:kube-system/kubeone-ownership');
    const warnings = plan.warnings.join('\n');
    expect(warnings).to.match(/unmanaged: 3 object\(s\) labelled kubeone\.io\/addon=ccm-hetzner .* To delete addon ccm-hetzner, add \{name: "ccm-hetzner", delete: true\} to addons\.addons/);
    expect(warnings).to.match(/unmanaged: 1 object\(s\) labelled kubeone\.io\/addon=csi-external-snapshotter/);
    expect(warnings).to.contain('apiServer flag --encryption-provider-config=/etc/kubernetes/encryption-providers/encryption-providers.yaml is in kube-system/kubeadm-config but not rendered from the manifest');
    expect(warnings).to.contain('apiServer flag --audit-policy-file=/etc/kubernetes/audit/policy.yaml');
  });

  it('apply keeps every object, flag, file and Secret of KubeOne and records what kubeone manages', async () => {
    await apply();
    await expectKubeOneFootprint({ ccm: true });
    const record = JSON.parse(JSON.parse(await k1.kubectl(['get', 'configmap', 'kubeone-ownership', '-n', 'kube-system', '-o', 'json'])).data['record.json']);
    expect(Object.keys(record.addons)).to.include('cni-canal').and.not.include('ccm-hetzner').and.not.include('csi-external-snapshotter');
    expect(record.controlPlane.flags.apiServer).to.include('profiling').and.not.include('encryption-provider-config').and.not.include('audit-policy-file');
  });

  it('the second plan is empty, from this directory and with the local .kubeone/ directory gone', async () => {
    expect((await planJson()).code).to.equal(0);
    rmSync(path.join(dir, '.kubeone'), { recursive: true, force: true });
    const again = await planJson();
    expect(again.code, again.plan.actions.map((a) => a.id).join(', ')).to.equal(0);
  });

  it('delete: true removes exactly that addon; a `key-` label is removed; one apply converges', async () => {
    manifest.addons = { addons: [{ name: 'ccm-hetzner', delete: true }] };
    manifest.staticWorkers.hosts[0].labels = { [`${USER_NODE_LABEL}-`]: '', 'example.com/role': 'db' };
    write(manifest);
    const { plan } = await planJson();
    expect(plan.actions.map((a) => a.id)).to.include('prune-addon:ccm-hetzner').and.include('sync-node-metadata:worker-1');
    expect(plan.actions.find((a) => a.id === 'prune-addon:ccm-hetzner')!.objects!.map((o) => `${o.kind}/${o.name}`).sort()).to.deep.equal(
      CCM_OBJECTS.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
    );
    await apply();
    await expectKubeOneFootprint({ ccm: false });
    const labels = await nodeLabels('worker-1');
    expect(labels).to.not.have.property(USER_NODE_LABEL);
    expect(labels).to.include({ 'example.com/role': 'db', [KUBEONE_NODE_LABEL]: 'debian' });
    expect((await planJson()).code).to.equal(0);
  });

  it(`upgrades ${FROM} -> ${TO} through ${STEP} in one apply that exits 0; the next plan is empty; KubeOne's flags stay`, async () => {
    manifest.versions.kubernetes = TO;
    write(manifest);
    await apply();
    const nodes = JSON.parse(await k1.kubectl(['get', 'nodes', '-o', 'json'])).items as { metadata: { name: string }; status: { nodeInfo: { kubeletVersion: string } } }[];
    expect(nodes.map((n) => `${n.metadata.name} ${n.status.nodeInfo.kubeletVersion}`).sort()).to.deep.equal([`cp-1 v${TO}`, `worker-1 v${TO}`]);
    const again = await planJson();
    expect(again.code, again.plan.actions.map((a) => `${a.id}: ${a.reason}`).join('\n')).to.equal(0);
    await expectKubeOneFootprint({ ccm: false });
  });
});

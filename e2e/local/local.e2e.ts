// kubeone local inside a sandbox host: the built CLI (hack/stage-cli.sh) and Node.js from the
// npm registry (hack/node-runtime.sh) are copied into the host, and kubeone runs there as
// root, with commands through the local shell instead of SSH. The simulator's bundle installs
// as for any host. Judges: the real kubectl on this machine against the host's API, and the
// host's files.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { expect } from 'chai';
import { stringify } from 'yaml';

import { type Fleet, KUBESIM_BUNDLE_TEMPLATE, REPO_ROOT, startFleet } from '../fleet/index.js';

const run = promisify(execFile);
const VERSION = '1.35.1';
const BUNDLE = KUBESIM_BUNDLE_TEMPLATE.replace('{arch}', 'amd64').replace('{version}', VERSION);

describe('kubeone local: an all-in-one cluster inside a sandbox host', function () {
  this.timeout(900_000);
  let fleet: Fleet;
  let stage: string;
  const inHost = async (command: string, timeoutMs = 600_000) => {
    const r = await fleet.exec('cp-1', ['timeout', String(Math.round(timeoutMs / 1000)), 'bash', '-c', command]);
    return r;
  };
  const kubeone = (args: string) => inHost(`cd /root && /opt/kubeone/node /opt/kubeone/dist/cmd/kubeone.js ${args} </dev/null`);

  before(async function () {
    if (!existsSync(BUNDLE)) this.skip();
    if (!existsSync(path.join(REPO_ROOT, 'dist', 'cmd', 'kubeone.js'))) throw new Error('dist/ is missing: run npm run build');
    stage = mkdtempSync(path.join(tmpdir(), 'kubeone-stage-'));
    const [{ stdout: node }] = await Promise.all([run('bash', [path.join(REPO_ROOT, 'hack', 'node-runtime.sh')]), run('bash', [path.join(REPO_ROOT, 'hack', 'stage-cli.sh'), path.join(stage, 'kubeone')])]);
    fleet = await startFleet({ controlPlanes: 1, workers: 0, kubernetesVersion: VERSION });
    const id = fleet.host('cp-1').containerId;
    await run('cp', [node.trim(), path.join(stage, 'kubeone', 'node')]);
    await run('docker', ['cp', path.join(stage, 'kubeone'), `${id}:/opt/kubeone`]);
    await run('docker', ['exec', id, 'mkdir', '-p', '/opt/bundles']);
    await run('docker', ['cp', BUNDLE, `${id}:/opt/bundles/${path.basename(BUNDLE)}`]);
  });
  after(async () => {
    await fleet?.destroy();
    if (stage) rmSync(stage, { recursive: true, force: true });
  });

  it('without a manifest: the generated one-host cluster is probed and planned locally; unconfirmed, nothing is touched', async () => {
    const r = await kubeone(`local --kubernetes-version ${VERSION}`);
    expect(r.exitCode, r.stdout + r.stderr).to.equal(1);
    expect(r.stdout + r.stderr).to.match(/initialize the control plane|kubeadm init/i);
    expect((await inHost('test -e /etc/kubernetes/admin.conf; echo $?')).stdout.trim()).to.equal('1');
    // Bad arguments: clear errors, nothing touched.
    const both = await kubeone(`local --kubernetes-version ${VERSION} -m /opt/kubeone/package.json`);
    expect(both.exitCode).to.equal(1);
    expect(both.stderr).to.match(/--kubernetes-version is for a cluster without a manifest/);
  });

  it('with a manifest: converges to a one-node cluster the real kubectl reaches; a second run has nothing to do', async () => {
    // The settings of a remote cluster's manifest; local keeps them and makes the hosts this machine.
    const manifest = {
      apiVersion: 'kubeone.k8c.io/v1beta2',
      kind: 'KubeOneCluster',
      name: 'remote-name',
      versions: { kubernetes: VERSION },
      cloudProvider: { none: {} },
      controlPlane: { hosts: [{ publicAddress: '192.0.2.10', sshPrivateKeyFile: '/nonexistent' }] },
      staticWorkers: { hosts: [{ publicAddress: '192.0.2.11', sshPrivateKeyFile: '/nonexistent' }] },
      systemPackages: { configureRepositories: false },
      kubernetesBinaries: { bundle: { path: '/opt/bundles/kubernetes-node-linux-{arch}-v{version}.tar.gz' } },
    };
    const file = path.join(stage, 'kubeone.yaml');
    writeFileSync(file, stringify(manifest));
    await run('docker', ['cp', file, `${fleet.host('cp-1').containerId}:/root/kubeone.yaml`]);
    const first = await kubeone('local -y');
    expect(first.exitCode, first.stdout.slice(-4000) + first.stderr.slice(-4000)).to.equal(0);

    const admin = (await inHost('cat /etc/kubernetes/admin.conf')).stdout;
    const kubeconfig = path.join(stage, 'admin.conf');
    writeFileSync(kubeconfig, admin, { mode: 0o600 });
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'json']);
    const nodes = (JSON.parse(stdout) as { items: { metadata: { name: string }; spec: { taints?: unknown[] }; status: { conditions: { type: string; status: string }[] } }[] }).items;
    expect(nodes.map((n) => n.metadata.name)).to.deep.equal([fleet.host('cp-1').hostname]);
    expect(nodes[0]!.status.conditions.find((c) => c.type === 'Ready')?.status).to.equal('True');
    // All-in-one: the control plane carries no NoSchedule taint.
    expect(nodes[0]!.spec.taints ?? []).to.deep.equal([]);
    expect(readFileSync(kubeconfig, 'utf8')).to.include(`https://${fleet.host('cp-1').privateAddress}:6443`);
    // The state is kept beside the manifest, under the cluster name local; so is apply's default PKI backup.
    expect((await inHost('ls /root/.kubeone')).stdout.trim()).to.equal('local');
    expect((await inHost('stat -c %a /root/local.tar.gz && tar -tzf /root/local.tar.gz')).stdout).to.match(/^600\n[\s\S]*ca\.key/);

    const second = await kubeone('local');
    expect(second.exitCode, second.stdout + second.stderr).to.equal(0);
    expect(second.stdout + second.stderr).to.include('No changes. The cluster matches the manifest.');
  });
});

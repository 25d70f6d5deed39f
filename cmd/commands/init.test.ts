import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

import { runCliCaptured as runKubeone } from '../testing/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'kubeone-init-'));
let n = 0;
const fresh = (): string => join(root, `d${n++}`);

describe('kubeone init', () => {
  it('provider none: KubeOne\'s bare-metal manifest plus control-plane hosts, and it validates', async () => {
    const dir = fresh();
    const r = await runKubeone(['init', '--cluster-name', 'demo', '--kubernetes-version', '1.35.1', '--path', dir]);
    expect(r.code, r.stderr).to.equal(0);
    expect(existsSync(join(dir, 'terraform.tfvars'))).to.equal(false);
    const m = parse(readFileSync(join(dir, 'kubeone.yaml'), 'utf8'));
    // KubeOne 1.14's TestGenKubeOneClusterYAML "default on none": name, version, none, containerd, canal, MC and OSM off, no addons.
    expect(m).to.deep.include({ apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', name: 'demo', versions: { kubernetes: '1.35.1' }, cloudProvider: { none: {} } });
    expect(m).to.deep.include({ containerRuntime: { containerd: {} }, clusterNetwork: { cni: { canal: {} } }, machineController: { deploy: false }, operatingSystemManager: { deploy: false } });
    expect(m.addons).to.equal(undefined);
    expect(m.controlPlane.hosts).to.have.length(1);
    const v = await runKubeone(['config', 'validate', '-m', join(dir, 'kubeone.yaml')]);
    expect(v.code, v.stderr).to.equal(0);
  });

  it('a cloud provider: no name (Terraform gives it), external CCM, default-storage-class, and terraform.tfvars with the required variables', async () => {
    const dir = fresh();
    const r = await runKubeone(['init', '--provider', 'gce', '--cluster-name', 'demo', '--kubernetes-version', '1.35.1', '--path', dir]);
    expect(r.code, r.stderr).to.equal(0);
    const m = parse(readFileSync(join(dir, 'kubeone.yaml'), 'utf8'));
    expect(m.name).to.equal(undefined);
    expect(m.cloudProvider).to.deep.equal({ gce: {} });
    expect(m.addons).to.deep.equal({ enable: true, addons: [{ name: 'default-storage-class' }] });
    const tfvars = readFileSync(join(dir, 'terraform.tfvars'), 'utf8');
    expect(tfvars).to.match(/^cluster_name = "demo"$/m).and.match(/^project = ""$/m);

    const aws = fresh();
    expect((await runKubeone(['init', '--provider', 'aws', '--cluster-name', 'demo', '--kubernetes-version', '1.35.1', '--path', aws])).code).to.equal(0);
    expect(parse(readFileSync(join(aws, 'kubeone.yaml'), 'utf8')).cloudProvider).to.deep.equal({ aws: {}, external: true });
    // Without the Terraform output only what Terraform gives is missing: the name and the control planes.
    const v = await runKubeone(['config', 'validate', '-m', join(aws, 'kubeone.yaml')]);
    expect(v.code).to.equal(15);
    expect(v.stderr).to.match(/name: no cluster name given/).and.match(/controlPlane: .*required/).and.not.match(/cloudProvider/);
  });

  it('--terraform=false keeps the name and writes no tfvars; kubevirt has no Terraform configuration; --path - prints', async () => {
    const dir = fresh();
    expect((await runKubeone(['init', '--provider', 'hetzner', '--terraform=false', '--cluster-name', 'demo', '--kubernetes-version', '1.34.3', '--path', dir])).code).to.equal(0);
    expect(parse(readFileSync(join(dir, 'kubeone.yaml'), 'utf8')).name).to.equal('demo');
    expect(existsSync(join(dir, 'terraform.tfvars'))).to.equal(false);
    const kv = fresh();
    expect((await runKubeone(['init', '--provider', 'kubevirt', '--cluster-name', 'demo', '--kubernetes-version', '1.34.3', '--path', kv])).code).to.equal(0);
    expect(existsSync(join(kv, 'terraform.tfvars'))).to.equal(false);
    const printed = await runKubeone(['init', '--cluster-name', 'demo', '--kubernetes-version', '1.36.0', '--path=-']);
    expect(printed.code).to.equal(0);
    expect(parse(printed.stdout).versions).to.deep.equal({ kubernetes: '1.36.0' });
  });

  it('-i asks (re-asking after a bad answer) and writes what was answered; the result validates', async () => {
    const dir = fresh();
    // Encryption at rest stays off: features.encryptionProviders is refused by validation until it is implemented.
    const answers = ['Bad_Name', 'prod', 'none', '1.35.1', '3', 'n', 'yes', '192.0.2.10 192.0.2.11 192.0.2.12', 'ops', '/keys/id_ed25519', dir, ''].join('\n');
    const r = await runKubeone(['init', '-i'], { stdin: answers });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include('is not valid');
    const m = parse(readFileSync(join(dir, 'kubeone.yaml'), 'utf8'));
    expect(m.name).to.equal('prod');
    expect(m.clusterNetwork).to.deep.equal({ cni: { cilium: { enableHubble: true, kubeProxyReplacement: 'strict' } }, kubeProxy: { skipInstallation: true } });
    expect(m.features).to.deep.equal({ coreDNS: { deployPodDisruptionBudget: true } });
    expect(m.controlPlane.hosts.map((h: { publicAddress: string }) => h.publicAddress)).to.deep.equal(['192.0.2.10', '192.0.2.11', '192.0.2.12']);
    expect(m.controlPlane.hosts[0]).to.include({ sshUsername: 'ops', sshPrivateKeyFile: '/keys/id_ed25519' });
    const v = await runKubeone(['config', 'validate', '-m', join(dir, 'kubeone.yaml')]);
    expect(v.code, v.stderr).to.equal(0);
  });

  it('-i for a provider with Terraform asks for its variables', async () => {
    const dir = fresh();
    const answers = ['demo', 'openstack', '1.35.1', '', 'n', 'n', 'y', '', '4', '3', '2', 'public', 'ubuntu-24.04', '10.0.0.0/24', dir].join('\n');
    const r = await runKubeone(['init', '-i'], { stdin: answers });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include('must be a positive odd number');
    const tfvars = readFileSync(join(dir, 'terraform.tfvars'), 'utf8');
    for (const line of ['cluster_name = "demo"', 'control_plane_vm_count = "3"', 'external_network_name = "public"', 'image = "ubuntu-24.04"', 'subnet_cidr = "10.0.0.0/24"', 'ssh_public_key_file = "~/.ssh/id_rsa.pub"']) {
      expect(tfvars).to.include(`${line}\n`);
    }
  });

  it('bad arguments: clear error, documented exit code, nothing written', async () => {
    const dir = fresh();
    const cases: [string[], number, RegExp][] = [
      [['--cluster-name', 'demo'], 10, /--kubernetes-version is a required flag/],
      [['--kubernetes-version', '1.35.1'], 1, /cluster name is required/],
      [['--cluster-name', 'Demo_1', '--kubernetes-version', '1.35.1'], 15, /cluster name "Demo_1" is not valid/],
      [['--cluster-name', 'demo', '--kubernetes-version', '1.33.0'], 15, /minimum supported version is 1\.34/],
      [['--cluster-name', 'demo', '--kubernetes-version', '1.35.1', '--provider', 'ibm'], 1, /Invalid values:[\s\S]*provider/],
      [['--cluster-name', 'demo', '--kubernetes-version', '1.35.1', '--provider', 'aws', '--path=-'], 1, /add --terraform=false/],
    ];
    for (const [args, code, message] of cases) {
      const r = await runKubeone(['init', ...args, ...(args.some((x) => x.startsWith('--path')) ? [] : ['--path', dir])]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(code);
      expect(r.stderr).to.match(message);
      expect(existsSync(dir)).to.equal(false);
    }
    const input = await runKubeone(['init', '-i'], { stdin: 'demo\n' });
    expect(input.code).to.equal(1);
    expect(input.stderr).to.match(/the input ended/);
  });

  it('never overwrites: an existing kubeone.yaml or terraform.tfvars stops it before anything is written', async () => {
    const dir = fresh();
    expect((await runKubeone(['init', '--provider', 'gce', '--cluster-name', 'a', '--kubernetes-version', '1.35.1', '--path', dir])).code).to.equal(0);
    writeFileSync(join(dir, 'kubeone.yaml'), 'mine\n');
    const r = await runKubeone(['init', '--provider', 'gce', '--cluster-name', 'b', '--kubernetes-version', '1.35.1', '--path', dir]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/kubeone\.yaml and .*terraform\.tfvars exists already: nothing written/);
    expect(readFileSync(join(dir, 'kubeone.yaml'), 'utf8')).to.equal('mine\n');
    expect(readFileSync(join(dir, 'terraform.tfvars'), 'utf8')).to.include('cluster_name = "a"');
  });
});

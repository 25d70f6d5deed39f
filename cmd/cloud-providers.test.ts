// Every cloud provider KubeOne 1.14 supports, through the CLI: `addons list` and `plan` show its
// CCM, CSI driver and credential Secrets with example credentials; without them the command stops
// with the variable it misses (exit 15) before any host is touched, and never prints a value.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { PROVIDER_EXAMPLES } from '../pkg/addons/testing/providers.js';
import { SnapshotBuilder } from '../pkg/plan/testing/snapshot-builder.js';
import { runCliCaptured } from './testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeone-cloud-'));

const kubeone = (env: Record<string, string>, ...args: string[]) => runCliCaptured(args, { env });

/** A TCP port that counts connections: "nothing touched" means nobody connected. */
async function witness(): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((s) => {
    count++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, connections: () => count };
}

function manifest(name: string, provider: keyof typeof PROVIDER_EXAMPLES, sshPort: number): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'kubeone.k8c.io/v1beta2',
      kind: 'KubeOneCluster',
      name: name.toLowerCase(),
      versions: { kubernetes: '1.35.1' },
      cloudProvider: PROVIDER_EXAMPLES[provider].cloudProvider,
      machineController: { deploy: false },
      controlPlane: { hosts: [{ publicAddress: '127.0.0.1', privateAddress: '10.0.0.10', sshPort, hostname: 'cp-1', sshUsername: 'ops', sshPrivateKeyFile: '/nonexistent' }] },
    }),
  );
  return path;
}

function credentialsFile(name: string, creds: Record<string, string>): string {
  const path = join(dir, `${name}.credentials.yaml`);
  writeFileSync(path, stringify(creds), { mode: 0o600 });
  return path;
}

describe('cloud providers through the CLI', function () {
  this.timeout(120_000);
  let port: Awaited<ReturnType<typeof witness>>;
  before(async () => {
    port = await witness();
  });
  after(() => port.server.close());

  for (const [provider, example] of Object.entries(PROVIDER_EXAMPLES) as [keyof typeof PROVIDER_EXAMPLES, (typeof PROVIDER_EXAMPLES)[keyof typeof PROVIDER_EXAMPLES]][]) {
    describe(provider, () => {
      it('addons list and plan (fresh hosts) show its credential Secrets, CSI driver and CCM; no value is printed', async () => {
        const m = manifest(`list-${provider}`, provider, port.port);
        const c = credentialsFile(provider, example.credentials);
        const list = await kubeone({}, 'addons', 'list', '-m', m, '-c', c, '-o', 'json');
        expect(list.code, list.stderr).to.equal(0);
        const entries = (JSON.parse(list.stdout) as { addons: { name: string; status: string; objects: number }[] }).addons;
        const installing = entries.filter((e) => e.status === 'install' && (/^(ccm|csi)-/.test(e.name) || e.name === 'cloud-credentials')).map((e) => e.name);
        expect(installing.sort()).to.deep.equal([...example.addons].sort());

        const snapshot = new SnapshotBuilder(`list-${provider}`).host('cp-1', 'controlPlane').build();
        const snapshotPath = join(dir, `${provider}.snapshot.json`);
        writeFileSync(snapshotPath, JSON.stringify(snapshot));
        const plan = await kubeone({}, 'plan', '-m', m, '-c', c, '--snapshot', snapshotPath, '-o', 'json');
        expect(plan.code, plan.stderr).to.equal(0);
        const actions = (JSON.parse(plan.stdout) as { actions: { id: string; objects?: { change: string; kind: string; name: string }[] }[] }).actions;
        for (const addon of example.addons.filter((a) => a !== 'cloud-credentials' || provider !== 'vmwareCloudDirector')) {
          const action = actions.find((a) => a.id === `apply-addon:${addon}`);
          expect(action, `apply-addon:${addon}`).to.not.equal(undefined);
          expect(action!.objects!.every((o) => o.change === '+')).to.equal(true);
        }
        const kinds = new Set(actions.filter((a) => a.id.startsWith('apply-addon:c')).flatMap((a) => a.objects!.map((o) => o.kind)));
        if (provider !== 'equinixmetal') expect([...kinds]).to.include.members(['CustomResourceDefinition', 'Deployment', 'ValidatingWebhookConfiguration']);
        // Values of the credentials never appear, whatever form they take in the objects.
        const human = await kubeone({}, 'plan', '-m', m, '-c', c, '--snapshot', snapshotPath, '-v');
        for (const [key, value] of Object.entries(example.credentials)) {
          if (/PASSWORD|TOKEN|SECRET|CREDENTIALS|KUBECONFIG/.test(key)) {
            for (const out of [list.stdout, plan.stdout, human.stdout, human.stderr]) expect(out, key).to.not.contain(value);
          }
        }
      });

      it('without credentials: exit 15 naming the variable and where it is looked up; no host is contacted', async () => {
        const m = manifest(`nocreds-${provider}`, provider, port.port);
        const before = port.connections();
        const res = await kubeone({}, 'apply', '-m', m, '-y', '--known-hosts', join(dir, 'known_hosts'));
        expect(res.code, res.stderr).to.equal(15);
        const line = res.stderr.split('\n').find((l) => l.includes(`cloudProvider.${provider}: credentials`));
        expect(line, res.stderr).to.match(new RegExp(`^${m.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: cloudProvider\\.${provider}: credentials \\(`));
        expect(line).to.match(/(is required|are required|AWS_PROFILE is empty)/).and.match(/environment/);
        expect(port.connections()).to.equal(before);
        const plan = await kubeone({}, 'plan', '-m', m);
        expect(plan.code).to.equal(15);
        expect(port.connections()).to.equal(before);
      });
    });
  }

  it('a wrong credential combination names the variables, never their values', async () => {
    const m = manifest('vcd-both', 'vmwareCloudDirector', port.port);
    const c = credentialsFile('vcd-both', { ...PROVIDER_EXAMPLES.vmwareCloudDirector.credentials, VCD_API_TOKEN: 'api-token-value-0123' });
    const res = await kubeone({}, 'plan', '-m', m, '-c', c);
    expect(res.code).to.equal(15);
    expect(res.stderr).to.contain('both api token (VCD_API_TOKEN) and user credentials (VCD_USER VCD_PASSWORD) found');
    expect(res.stderr).to.not.contain('api-token-value-0123').and.not.contain('example-vcd-password');
  });

  it('the environment is read with KubeOne\'s names (CCM_ variant for the CCM)', async () => {
    const m = manifest('env-hetzner', 'hetzner', port.port);
    const res = await kubeone({ CCM_HCLOUD_TOKEN: 'ccm-only-token-0123', MC_HCLOUD_TOKEN: 'mc-only-token-0123' }, 'addons', 'list', '-m', m);
    expect(res.code, res.stderr).to.equal(0);
  });

  it('a cloudConfig template error is reported at cloudProvider.cloudConfig (exit 15)', async () => {
    const path = join(dir, 'bad-cloud-config.yaml');
    writeFileSync(path, stringify({ apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', name: 'bad', versions: { kubernetes: '1.35.1' }, cloudProvider: { openstack: {}, cloudConfig: '[Global]\npassword = "{{ .Credentials.OS_PASSWORD"\n' }, machineController: { deploy: false }, controlPlane: { hosts: [{ publicAddress: '127.0.0.1', privateAddress: '10.0.0.10', sshPort: port.port }] } }));
    const res = await kubeone({}, 'config', 'validate', '-m', path, '-c', credentialsFile('openstack', PROVIDER_EXAMPLES.openstack.credentials));
    expect(res.code).to.equal(15);
    expect(res.stderr).to.match(/cloudProvider\.cloudConfig: template: cloudConfig:2: /);
    expect(res.stderr).to.not.contain('example-openstack-password');
  });
});

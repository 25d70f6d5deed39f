import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { SnapshotBuilder } from '../pkg/plan/testing/snapshot-builder.js';
import { runCli } from './cli.js';
import { type CliResult, runCliCaptured } from './testing/run-cli.js';

type Result = CliResult;

async function kubeone(...args: string[]): Promise<Result> {
  return runCliCaptured(args);
}

async function kubeoneWithStdin(input: string | undefined, ...args: string[]): Promise<Result> {
  return runCliCaptured(args, input === undefined ? {} : { stdin: input });
}

const dir = mkdtempSync(join(tmpdir(), 'kubeone-cli-'));
const file = (name: string, content: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** Reference manifest 09 (registry mirrors with auth) on provider none: cloud providers are not supported yet. */
const mirrorAuthManifest = (): string =>
  file('mirror-auth-none.yaml', readFileSync('/work/shared/reference/manifests/09-docs-aws-containerd-mirror-auth.yaml', 'utf8').replace('  aws: {}', '  none: {}'));
const noneTf = (): string => new URL('../pkg/api/testdata/tf/none-1cp.json', import.meta.url).pathname;

describe('kubeone CLI', () => {
  it('config print > k.yaml && config validate -m k.yaml prints valid', async () => {
    const printed = await kubeone('config', 'print');
    expect(printed.code).to.equal(0);
    const k = file('k.yaml', printed.stdout);
    const res = await kubeone('config', 'validate', '-m', k);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout.trim().split('\n')).to.have.length(1);
    expect(res.stdout).to.match(/configuration is valid/);
  });

  it('config print --full and with flags also validates', async () => {
    const full = await kubeone('config', 'print', '--full', '-p', 'none', '-n', 'full', '-k', 'v1.36.0');
    const k = file('full.yaml', full.stdout);
    expect((await kubeone('config', 'validate', '-m', k)).code).to.equal(0);
    const hosts = 'publicAddress:127.0.0.1,privateAddress:172.20.0.2,sshPort:2201 publicAddress:127.0.0.1,privateAddress:172.20.0.3,sshPort:2202 publicAddress:127.0.0.1,privateAddress:172.20.0.4,sshPort:2203';
    const flags = await kubeone('config', 'print', '--provider', 'none', '--control-plane-hosts', hosts, '--enable-openid-connect', '--proxy-http', 'http://proxy:3128');
    const doc = parseYaml(flags.stdout);
    expect(doc.controlPlane.hosts).to.have.length(3);
    expect(doc.features.openidConnect.enable).to.equal(true);
    const res = await kubeone('config', 'validate', '-m', file('flags.yaml', flags.stdout));
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.match(/3 control-plane/);
  });

  it('config print with features whose files are missing prints them, and config validate names exactly those files (exit 15)', async () => {
    const printed = await kubeone('config', 'print', '--enable-static-audit-log', '--enable-event-rate-limit');
    expect(parseYaml(printed.stdout).features.staticAuditLog.enable).to.equal(true);
    const res = await kubeone('config', 'validate', '-m', file('unsupported.yaml', printed.stdout));
    expect(res.code).to.equal(15);
    const unreadable = [...res.stderr.matchAll(/: (\S+): reading [^:]+: no such file/g)].map((m) => m[1]);
    expect(unreadable).to.include.members(['features.staticAuditLog.config.policyFilePath', 'features.eventRateLimit.config.configFilePath']);
    expect(res.stderr.split('\n').filter((l) => l.includes(': ') && !/: reading [^:]+: no such file/.test(l) && !l.startsWith('Error'))).to.deep.equal([]);
  });

  it('a field edited to nonsense prints the field path and line, exit 15', async () => {
    const printed = (await kubeone('config', 'print')).stdout;
    const lines = printed.split('\n');
    const at = lines.findIndex((l) => l.includes('podSubnet:'));
    lines[at] = lines[at]!.replace(/podSubnet: .*/, 'podSubnet: nonsense');
    const bad = file('bad.yaml', lines.join('\n'));
    const res = await kubeone('config', 'validate', '-m', bad);
    expect(res.code).to.equal(15);
    expect(res.stderr).to.include(`${bad}:${at + 1}:${lines[at]!.indexOf('podSubnet') + 1}: clusterNetwork.podSubnet: must be valid "IPv4" subnet`);
    expect(res.stdout).to.equal('');
  });

  it('reports every error of a manifest at once', async () => {
    const res = await kubeone('config', 'validate', '-m', '/work/shared/reference/manifests/05-config-testdata-three-hosts-only.yaml');
    expect(res.code).to.equal(15);
    expect(res.stderr).to.match(/\(3 errors\)/, res.stderr);
    expect(res.stderr).to.match(/name: no cluster name given/);
    expect(res.stderr).to.match(/:5:3: versions\.kubernetes: kubernetes version 1\.30\.1 is not supported/);
  });

  describe('bad input never gives a stack trace', () => {
    const cases: [string, () => string, number, RegExp][] = [
      ['empty file', () => file('empty.yaml', ''), 15, /apiVersion and kind must be present/],
      ['not YAML', () => file('notyaml.yaml', 'a: [b\nc: }\n'), 15, /notyaml\.yaml:\d+:\d+/],
      ['a list instead of a map', () => file('list.yaml', '- a\n- b\n'), 15, /must be a YAML mapping/],
      ['binary garbage', () => file('garbage.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0xff, 0xfe, 0x01])), 15, /not a text file/],
      ['a 10 MB file', () => file('huge.yaml', 'a: ' + 'x'.repeat(10 * 1024 * 1024) + '\n'), 15, /larger than/],
      ['a missing file', () => join(dir, 'nope.yaml'), 1, /nope\.yaml: no such file/],
      ['a directory', () => { mkdirSync(join(dir, 'adir'), { recursive: true }); return join(dir, 'adir'); }, 1, /is a directory/],
    ];
    for (const [name, make, code, re] of cases) {
      it(name, async () => {
        const res = await kubeone('config', 'validate', '-m', make());
        expect(res.code).to.equal(code);
        expect(res.stderr).to.match(re);
        expect(res.stderr).to.not.match(/\n\s+at /);
      });
    }
    it('--debug adds the stack trace', async () => {
      const res = await kubeone('config', 'validate', '-d', '-m', join(dir, 'nope.yaml'));
      expect(res.stderr).to.match(/\n\s+at /);
    });
  });

  it('-t reads Terraform output from a file, stdin-free, and from a directory with terraform.tfstate', async () => {
    const manifest = mirrorAuthManifest();
    const tf = noneTf();
    expect((await kubeone('config', 'validate', '-m', manifest, '-t', tf)).code).to.equal(0);
    const tfdir = join(dir, 'tfdir');
    mkdirSync(tfdir, { recursive: true });
    writeFileSync(join(tfdir, 'terraform.tfstate'), JSON.stringify({ version: 4, outputs: JSON.parse(readFileSync(tf, 'utf8')) }));
    const res = await kubeone('config', 'validate', '-m', manifest, '-t', tfdir);
    expect(res.code, res.stderr).to.equal(0);
  });

  it('reads the manifest or the Terraform output from stdin with "-", and -v logs the loaded manifest', async () => {
    const manifest = readFileSync('/work/shared/reference/manifests/06-docs-baremetal-static-workers.yaml', 'utf8');
    const res = await kubeoneWithStdin(manifest, 'config', 'validate', '-m', '-', '-v', '-l', 'json');
    expect(res.code, res.stderr).to.equal(0);
    expect(JSON.parse(res.stderr.trim().split('\n').pop()!)).to.include({ level: 'debug', message: 'manifest loaded', hosts: '1.2.3.4,1.2.3.5' });
    const tf = readFileSync(noneTf(), 'utf8');
    const withTf = await kubeoneWithStdin(tf, 'config', 'validate', '-m', mirrorAuthManifest(), '-t', '-');
    expect(withTf.code, withTf.stderr).to.equal(0);
    expect((await kubeoneWithStdin('', 'config', 'validate', '-m', '-', '-t', '-')).code).to.equal(15);
  });

  it('-t on a directory without state and without terraform gives a clear error', async () => {
    const empty = join(dir, 'tfempty');
    mkdirSync(empty, { recursive: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += String(d)));
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const code = await runCli(['config', 'validate', '-m', '/work/shared/reference/manifests/06-docs-baremetal-static-workers.yaml', '-t', empty], { stdout, stderr, env: {} });
      expect(code).to.equal(1);
    } finally {
      process.env.PATH = saved;
    }
    expect(err).to.match(/terraform is not installed/);
  });

  it('config dump prints the defaulted manifest with credentials redacted', async () => {
    const res = await kubeone('config', 'dump', '-m', mirrorAuthManifest(), '-t', noneTf());
    expect(res.code, res.stderr).to.equal(0);
    const doc = parseYaml(res.stdout);
    expect(doc.containerRuntime.containerd.registries['myunknown.tld'].auth).to.deep.equal({ username: 'user1', password: '[REDACTED]' });
    expect(doc.clusterNetwork.podSubnet).to.equal('10.244.0.0/16');
    expect(res.stdout).to.not.include('insecure\n');
    // The dump is itself a valid manifest (without -t: Terraform values are in it now).
    const again = await kubeone('config', 'validate', '-m', file('dumped.yaml', res.stdout));
    expect(again.code, again.stderr).to.equal(0);
  });

  it('-c credentials feed the manifest and never reach the output', async () => {
    const creds = file('credentials.yaml', [
      'VSPHERE_PASSWORD: vspherepw1',
      'registriesAuth: |',
      '  apiVersion: kubeone.k8c.io/v1beta2',
      '  kind: ContainerRuntimeContainerd',
      '  registries:',
      '    registry.internal.example:',
      '      auth:',
      '        username: robot',
      '        password: regpw2',
      '',
    ].join('\n'));
    const res = await kubeone('config', 'dump', '-m', '/work/shared/reference/manifests/06-docs-baremetal-static-workers.yaml', '-c', creds);
    expect(res.code, res.stderr).to.equal(0);
    expect(parseYaml(res.stdout).containerRuntime.containerd.registries['registry.internal.example'].auth.username).to.equal('robot');
    expect(res.stdout + res.stderr).to.not.match(/vspherepw1|regpw2/);
    const bad = file('badcreds.yaml', 'OS_PASSWORD:\n  - leaked-secret\n');
    const failed = await kubeone('config', 'validate', '-m', '/work/shared/reference/manifests/06-docs-baremetal-static-workers.yaml', '-c', bad);
    expect(failed.code).to.equal(15);
    expect(failed.stderr).to.match(/OS_PASSWORD: credential values must be strings/);
    expect(failed.stderr).to.not.include('leaked-secret');
  });

  it('config schema prints the draft 2020-12 schema', async () => {
    const res = await kubeone('config', 'schema');
    expect(JSON.parse(res.stdout).$schema).to.equal('https://json-schema.org/draft/2020-12/schema');
  });

  it('version prints JSON; completion prints bash, zsh and fish scripts', async () => {
    const v = JSON.parse((await kubeone('version')).stdout);
    expect(v.kubeone.gitVersion).to.match(/^v\d+\.\d+\.\d+/);
    expect((await kubeone('completion', 'bash')).stdout).to.include('complete -o default -F _kubeone_completions kubeone');
    expect((await kubeone('completion', 'zsh')).stdout).to.include('#compdef kubeone');
    expect((await kubeone('completion', 'fish')).stdout).to.include("complete -c kubeone -f -a '(__kubeone_complete)'");
    expect((await kubeone('completion', 'tcsh')).code).to.equal(1);
  });

  it('unlock never calls a cluster "not locked" when its control planes did not answer', async () => {
    const closedPort = async (): Promise<number> => {
      const server = createServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      await new Promise((r) => server.close(r));
      return port;
    };
    const key = file('id_rsa', generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey);
    const hosts = [];
    for (const name of ['cp-1', 'cp-2', 'cp-3']) hosts.push(`    - { publicAddress: 127.0.0.1, privateAddress: 10.0.0.1${hosts.length}, sshPort: ${await closedPort()}, hostname: ${name}, sshUsername: ops, sshPrivateKeyFile: ${key} }`);
    const manifest = file('down.yaml', ['apiVersion: kubeone.k8c.io/v1beta2', 'kind: KubeOneCluster', 'name: down', 'versions: { kubernetes: 1.34.3 }', 'cloudProvider: { none: {} }', 'controlPlane:', '  hosts:', ...hosts, ''].join('\n'));
    const res = await kubeone('unlock', '-m', manifest, '--known-hosts', join(dir, 'known_hosts'), '--connect-timeout', '5');
    expect(res.code, res.stderr).to.equal(14);
    expect(res.stderr).to.match(/cp-\d: unreachable/);
    expect(res.stdout).to.not.match(/not locked/);
  });

  it('plan --out saves exactly the plan it prints (0600); apply refuses a tampered copy before connecting (exit 15)', async () => {
    const hosts = ['cp-1', 'w-1'].map((name, i) => `    - { publicAddress: 127.0.0.1, privateAddress: 10.0.0.2${i}, sshPort: ${i + 1}, hostname: ${name}, sshUsername: ops, sshPrivateKeyFile: /nonexistent }`);
    const manifest = file('offline.yaml', ['apiVersion: kubeone.k8c.io/v1beta2', 'kind: KubeOneCluster', 'name: offline', 'versions: { kubernetes: 1.35.1 }', 'cloudProvider: { none: {} }', 'controlPlane:', '  hosts:', hosts[0], 'staticWorkers:', '  hosts:', hosts[1], ''].join('\n'));
    const snapshot = new SnapshotBuilder('offline').host('cp-1', 'controlPlane').host('w-1', 'staticWorker').build();
    const snapshotPath = file('offline.snapshot.json', JSON.stringify(snapshot));
    const out = join(dir, 'offline.plan.json');
    writeFileSync(out, 'old', { mode: 0o644 });
    chmodSync(out, 0o644);
    const res = await kubeone('plan', '-m', manifest, '--snapshot', snapshotPath, '-o', 'json', '--out', out);
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    expect(readFileSync(out, 'utf8')).to.equal(res.stdout);
    expect(statSync(out).mode & 0o777).to.equal(0o600);
    const plan = JSON.parse(res.stdout);
    const install = plan.actions.flatMap((a: { steps: { op: string; params?: { version?: string } }[] }) => a.steps).find((st: { op: string }) => st.op === 'host.binaries.install');
    install.params.version = '1.35.0"; touch /tmp/pwned; "';
    const tampered = file('tampered.plan.json', JSON.stringify(plan));
    const apply = await kubeone('apply', '-m', manifest, tampered, '-y', '--known-hosts', join(dir, 'known_hosts'));
    expect(apply.code, apply.stderr).to.equal(15);
    expect(apply.stderr).to.contain(tampered).and.match(/params\/version: must match pattern/);
  });

  it('apply --rotate-encryption-key without --force-upgrade is refused before any connection (exit 15, KubeOne\'s rule)', async () => {
    const port = 1; // never reached: the flag rule comes first
    const manifest = file('rotate.yaml', ['apiVersion: kubeone.k8c.io/v1beta2', 'kind: KubeOneCluster', 'name: rotate', 'versions: { kubernetes: 1.35.1 }', 'cloudProvider: { none: {} }', 'features: { encryptionProviders: { enable: true } }', 'controlPlane:', '  hosts:', `    - { publicAddress: 127.0.0.1, privateAddress: 10.0.0.30, sshPort: ${port}, hostname: cp-1, sshUsername: ops, sshPrivateKeyFile: /nonexistent }`, ''].join('\n'));
    const res = await kubeone('apply', '-m', manifest, '-y', '--rotate-encryption-key', '--known-hosts', join(dir, 'known_hosts'));
    expect(res.code, res.stderr).to.equal(15);
    expect(res.stderr).to.contain('rotating encryption keys requires the --force-upgrade flag').and.not.match(/unreachable|connect/);
  });

  it('usage errors exit 1 with a hint', async () => {
    const res = await kubeone('config', 'validate', '--no-such-flag');
    expect(res.code).to.equal(1);
    expect(res.stderr).to.match(/Unknown argument/);
    expect((await kubeone()).code).to.equal(1);
    // A usage error stops before the handler: no attempt to read ./kubeone.yaml.
    const extra = await kubeone('config', 'validate', 'extra');
    expect(extra.code).to.equal(1);
    expect(extra.stderr).to.match(/Unknown argument: extra/);
    expect(extra.stderr).to.not.match(/kubeone\.yaml/);
  });
});

// The day-2 commands refuse bad arguments with a clear message and their documented exit code,
// before anything is contacted: the manifest's only host is a TCP listener that counts
// connections, and it must count none.
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../testing/run-cli.js';
import { applyRequests, NO_INIT_KINDS } from './apply-requests.js';
import { defaultBackupPath } from './apply.js';
import { generateRequest } from './kubeconfig.js';

const kubeone = (...args: string[]) => runCliCaptured(args, { env: { USER: 'tester' } });

describe('day-2 commands: bad arguments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeone-day2-'));
  let server: Server;
  let connections = 0;
  let manifest: string;

  before(async () => {
    server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const key = join(dir, 'id');
    writeFileSync(key, generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey, { mode: 0o600 });
    manifest = join(dir, 'k.yaml');
    writeFileSync(
      manifest,
      ['apiVersion: kubeone.k8c.io/v1beta2', 'kind: KubeOneCluster', 'name: day2', 'versions: { kubernetes: 1.35.1 }', 'cloudProvider: { none: {} }', 'controlPlane:', '  hosts:', `    - { publicAddress: 127.0.0.1, privateAddress: 10.0.0.1, sshPort: ${port}, hostname: cp-1, sshUsername: ops, sshPrivateKeyFile: ${key} }`, ''].join('\n'),
    );
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const cases: [args: string[], code: number, message: RegExp][] = [
    [['etcd'], 1, /an etcd command is required/],
    [['etcd', 'disarm'], 1, /requires a member name argument or --all flag/],
    [['etcd', 'disarm', '--all', 'cp-1'], 1, /--all and a member name are mutually exclusive/],
    [['etcd', 'disarm', 'a', 'b'], 1, /accepts at most one member name, got 2/],
    [['etcd', 'defragment'], 1, /accepts 1 arg\(s\), received 0/],
    [['etcd', 'defragment', 'a', 'b'], 1, /accepts 1 arg\(s\), received 2/],
    [['etcd', 'snapshot'], 1, /accepts 1 arg\(s\), received 0/],
    [['etcd', 'snapshot', 'a.db', 'b.db'], 1, /Unknown argument: b.db/],
    [['etcd', 'snapshot', '/nonexistent-dir/x.db'], 1, /directory \/nonexistent-dir does not exist/],
    [['etcd', 'snapshot', tmpdir()], 1, /is a directory/],
    [['etcd', 'members', '-o', 'yaml'], 1, /Invalid values/],
    [['kubeconfig', 'generate'], 15, /configuration --on flag\ncan not be empty/],
    [['kubeconfig', 'generate', '--cn', 'x'], 15, /--on flag\ncan not be empty/],
    [['kubeconfig', 'generate', '-s', '--on', 'devs'], 15, /mutually exclusive with --super-admin/],
    [['kubeconfig', 'generate', '--on', 'devs', '--ttl', 'soon'], 15, /--ttl flag\n"soon" is not a duration/],
    [['kubeconfig', 'generate', '--on', 'devs', '--ttl=-1h'], 15, /must be positive/],
    [['proxy', '--listen', 'localhost'], 1, /expected host:port/],
    [['proxy', '--listen', 'example.com:8888'], 1, /must be an IP address or localhost/],
    [['proxy', '--listen', '127.0.0.1:70000'], 1, /port 0-65535/],
    [['ui', '--port', '70000'], 1, /--port 70000: expected a port number 0-65535/],
    [['ui', '--address', '0.0.0.0'], 1, /listening on every interface is refused/],
    [['ui', '--address', 'example.com'], 1, /expected an IP address of this machine or localhost/],
    [['certificates'], 1, /a certificates command is required/],
    [['certificates', 'status', '-o', 'yaml'], 1, /Invalid values/],
    [['apply', '-y', '--no-init', '--force-upgrade'], 1, /--no-init prepares the hosts only/],
    [['apply', '-y', '--no-init', '--prune-images'], 1, /cannot be combined with --prune-images/],
    [['apply', '-y', 'plan.json', '--force-install'], 1, /cannot be combined with PLANFILE/],
    [['apply', '-y', '--backup'], 1, /--backup needs a path/],
    [['apply', '-y', 'plan.json', '--upgrade-machine-deployments'], 1, /--upgrade-machine-deployments cannot be combined with PLANFILE/],
  ];
  for (const [args, code, message] of cases) {
    it(`kubeone ${args.join(' ')} -> exit ${code}`, async () => {
      const before = connections;
      const r = await kubeone(...args, '-m', manifest);
      expect(r.code, r.stderr).to.equal(code);
      expect(r.stderr).to.match(message);
      expect(connections - before, 'connections to the host').to.equal(0);
    });
  }

  it('proxy: an address in use is exit 1 before any host is contacted', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    try {
      const before = connections;
      const r = await kubeone('proxy', '--listen', `127.0.0.1:${(busy.address() as AddressInfo).port}`, '-m', manifest);
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.match(/listening on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
      expect(connections - before).to.equal(0);
    } finally {
      busy.close();
    }
  });

  it('ui: an address in use is exit 1 before any host is contacted', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    try {
      const before = connections;
      const r = await kubeone('ui', '--port', String((busy.address() as AddressInfo).port), '-m', manifest);
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.match(/listening on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
      expect(connections - before).to.equal(0);
    } finally {
      busy.close();
    }
  });

  it('etcd snapshot - is an argument (stdout), not a missing one: the command goes on to the hosts', async () => {
    const r = await kubeone('etcd', 'snapshot', '-', '-m', manifest, '--known-hosts', join(dir, 'known_hosts'), '--connect-timeout', '2');
    expect(r.code, r.stderr).to.equal(11);
    expect(r.stderr).to.contain('no control plane gave access to etcd');
  });

  it('--help of each new command names its exit codes', async () => {
    for (const cmd of [['etcd', 'members'], ['etcd', 'snapshot'], ['etcd', 'disarm'], ['etcd', 'defragment'], ['kubeconfig', 'generate'], ['proxy'], ['ui'], ['certificates', 'renew'], ['certificates', 'status'], ['apply']]) {
      // yargs prints help on the process's stdout.
      let help = '';
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string | Uint8Array) => ((help += String(chunk)), true)) as typeof process.stdout.write;
      let r;
      try {
        r = await kubeone(...cmd, '--help');
      } finally {
        process.stdout.write = write;
      }
      expect(r.code, cmd.join(' ')).to.equal(0);
      expect(help + r.stdout, cmd.join(' ')).to.match(/Exit codes: 0 /);
    }
  });
});

describe('apply flags', () => {
  const base = { init: true, 'force-install': false, 'force-upgrade': false, 'prune-images': false, 'rotate-encryption-key': false, 'create-machine-deployments': true, 'upgrade-machine-deployments': false };
  it('force flags are one-time requests; --no-init and --prune-images shape every plan of the run', () => {
    expect(applyRequests(base)).to.deep.equal({});
    expect(applyRequests({ ...base, 'force-upgrade': true, 'force-install': true })).to.deep.equal({ requests: { forceUpgrade: true, forceInstall: true } });
    expect(applyRequests({ ...base, init: false, 'force-install': true })).to.deep.equal({ planOptions: { only: NO_INIT_KINDS }, requests: { forceInstall: true } });
    expect(applyRequests({ ...base, 'prune-images': true })).to.deep.equal({ planOptions: { pruneImages: true } });
  });

  it('--upgrade-machine-deployments is a one-time request; --create-machine-deployments=false shapes every plan of the run', () => {
    expect(applyRequests({ ...base, 'upgrade-machine-deployments': true })).to.deep.equal({ requests: { upgradeMachineDeployments: true } });
    expect(applyRequests({ ...base, 'create-machine-deployments': false })).to.deep.equal({ planOptions: { createMachineDeployments: false } });
    expect(() => applyRequests({ ...base, 'rotate-encryption-key': true, 'force-upgrade': true, 'upgrade-machine-deployments': true })).to.throw(/cannot be combined with --upgrade-machine-deployments/);
  });

  it("--rotate-encryption-key needs --force-upgrade (KubeOne's rule, exit 15) and runs the rotation alone", () => {
    expect(() => applyRequests({ ...base, 'rotate-encryption-key': true })).to.throw('rotating encryption keys requires the --force-upgrade flag').with.property('exitCode', 15);
    // The upgrade is only its gate, as in KubeOne: no forceUpgrade request.
    expect(applyRequests({ ...base, 'rotate-encryption-key': true, 'force-upgrade': true })).to.deep.equal({ requests: { rotateEncryptionKey: true } });
    for (const extra of [{ 'force-install': true }, { 'prune-images': true }, { planfile: 'plan.json' }]) {
      expect(() => applyRequests({ ...base, 'rotate-encryption-key': true, 'force-upgrade': true, ...extra })).to.throw(/runs the rotation alone: it cannot be combined with/).with.property('exitCode', 1);
    }
  });

  it("the default backup is KubeOne's: <manifest dir>/<cluster name>.tar.gz", () => {
    expect(defaultBackupPath('/srv/clusters/prod/kubeone.yaml', 'prod')).to.equal('/srv/clusters/prod/prod.tar.gz');
    expect(defaultBackupPath('-', 'prod')).to.equal(join(process.cwd(), 'prod.tar.gz'));
  });
});

describe('kubeconfig generate: subject and lifetime', () => {
  it("defaults the CN to $USER@<hostname>, -s means system:masters, the TTL is a Go duration", () => {
    const r = generateRequest({ on: [], 'super-admin': true, ttl: '90m' }, { USER: 'ops' });
    expect(r.on).to.deep.equal(['system:masters']);
    expect(r.cn).to.match(/^ops@.+/);
    expect(r.ttlMs).to.equal(90 * 60_000);
    expect(generateRequest({ cn: 'alice', on: ['a', 'b'], 'super-admin': false, ttl: '1h' }, {})).to.deep.include({ cn: 'alice', on: ['a', 'b'] });
  });
});

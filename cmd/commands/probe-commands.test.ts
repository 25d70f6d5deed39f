// status and snapshot as yargs commands, against a real local sshd (the machine itself is
// the one host): flags parse, the table prints, the snapshot validates.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';
import yargs from 'yargs';

import type { LoadedCluster } from '../../pkg/api/types.js';
import { validateSnapshot } from '../../pkg/snapshot/snapshot.js';
import { silentLogger } from '../../pkg/ssh/logger.js';
import { LocalSshd, sshdAvailable } from '../../pkg/ssh/testing/local-sshd.js';
import { makeSnapshotCommand } from './snapshot.js';
import { makeStatusCommand } from './status.js';

(sshdAvailable ? describe : describe.skip)('cmd status / snapshot', function () {
  this.timeout(30_000);
  let sshd: LocalSshd;
  let dir: string;
  const loads: string[] = [];

  const loaded = (): LoadedCluster => ({
    manifestPath: path.join(dir, 'kubeone.yaml'),
    baseDir: dir,
    cluster: { apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', name: 'local', versions: { kubernetes: '1.35.1' } },
    hosts: [{ id: 0, role: 'controlPlane', name: 'this-machine', config: { publicAddress: '127.0.0.1', sshPort: sshd.port, sshUsername: 'root', sshPrivateKeyFile: sshd.clientKey } }],
    credentials: {},
    warnings: [],
  });
  const deps = { loadCluster: async (argv: { manifest: string }) => (loads.push(argv.manifest), loaded()), logger: () => silentLogger };

  async function cli(args: string[]): Promise<string> {
    let out = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => ((out += chunk.toString()), true)) as typeof process.stdout.write;
    try {
      await yargs(args)
        .option('manifest', { alias: 'm', type: 'string', default: './kubeone.yaml' })
        .command(makeStatusCommand(deps) as never)
        .command(makeSnapshotCommand(deps) as never)
        .strict()
        .exitProcess(false)
        .fail((msg, err) => { throw err ?? new Error(msg); })
        .parseAsync();
    } finally {
      process.stdout.write = write;
    }
    return out;
  }

  before(async () => {
    sshd = await LocalSshd.start();
    dir = await mkdtemp(path.join(os.tmpdir(), 'kubeone-cmd-'));
  });
  after(async () => {
    await sshd?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('status prints the table and records the host key in the cluster state dir', async () => {
    const out = await cli(['status', '-m', path.join(dir, 'kubeone.yaml'), '--concurrency', '4']);
    expect(loads.at(-1)).to.equal(path.join(dir, 'kubeone.yaml'));
    expect(out.split('\n')[0]).to.match(/^NODE\s+ROLE\s+OS\s+CONTAINERD\s+KUBELET\s+APISERVER\s+ETCD\s+READY$/);
    expect(out).to.match(/\nthis-machine\s+control-plane\s+/);
    expect(await readFile(path.join(dir, '.kubeone', 'local', 'known_hosts'), 'utf8')).to.contain(`[127.0.0.1]:${sshd.port} ssh-ed25519 `);
  });

  it('snapshot writes valid JSON to stdout or to -o FILE', async () => {
    const stdout = await cli(['snapshot', '-m', 'kubeone.yaml']);
    expect(validateSnapshot(JSON.parse(stdout)).valid).to.equal(true);
    const file = path.join(dir, 'snap.json');
    // An existing, world-readable file: the snapshot replacing it is 0600 all the same.
    await writeFile(file, '{}', { mode: 0o644 });
    await chmod(file, 0o644);
    expect(await cli(['snapshot', '-o', file])).to.equal('');
    expect(validateSnapshot(JSON.parse(await readFile(file, 'utf8'))).valid).to.equal(true);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
  });

  it('refuses a bad --concurrency before touching any host', async () => {
    let error: Error | undefined;
    await cli(['status', '--concurrency', '0']).catch((e: Error) => (error = e));
    expect(error?.message).to.contain('--concurrency must be a positive integer');
  });
});

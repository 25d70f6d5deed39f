// probe() end to end without containers: one "host" is this machine (the script runs
// locally through a fake transport), others fail the ways real hosts fail.
import { execFileSync, spawn } from 'node:child_process';

import { expect } from 'chai';

import type { LoadedCluster, ResolvedHost } from '../api/types.js';
import { validateSnapshot } from '../snapshot/snapshot.js';
import { SshError, type ExecResult, type HostTransport } from '../ssh/types.js';
import { probe } from './index.js';

function localExec(command: string, stdin?: string | Buffer): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    // We run as root here; drop the sudo the probe adds for non-root users. Node gives the child
    // a socket as stdin, which /dev/stdin cannot open: the probe's fallback (script as argument) runs.
    const child = spawn('bash', ['-c', command.replace(/^sudo -n /, '')]);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    // A command that exits before reading its input (as an SSH channel, the rest is dropped).
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
  });
}

function transport(host: string, exec: HostTransport['exec']): HostTransport {
  const unused = () => Promise.reject(new Error('unused'));
  return { host, exec, writeFile: unused, upload: unused, readFile: unused, forwardOut: unused, close: async () => undefined };
}

const hosts: ResolvedHost[] = [
  { id: 0, role: 'controlPlane', name: 'local', config: { publicAddress: '127.0.0.1', privateAddress: '10.0.0.1', sshUsername: 'kubeone' } },
  { id: 1, role: 'staticWorker', name: 'down', config: { publicAddress: '10.0.0.2' } },
  { id: 2, role: 'staticWorker', name: 'sudo', config: { publicAddress: '10.0.0.3', sshUsername: 'ops' } },
  { id: 3, role: 'staticWorker', name: 'garbage', config: { publicAddress: '10.0.0.4' } },
];
const loaded: LoadedCluster = { manifestPath: '/x/kubeone.yaml', baseDir: '/x', cluster: { apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', name: 'unit' }, hosts, credentials: {}, warnings: [] };

const pool = {
  async get(host: ResolvedHost): Promise<HostTransport> {
    switch (host.name) {
      case 'local':
        return transport(host.name, (c, o) => localExec(c, o?.stdin));
      case 'down':
        throw new SshError('down', 'unreachable', 'unreachable: kubeone@10.0.0.2:22: ECONNREFUSED');
      case 'sudo':
        return transport(host.name, async () => ({ code: 1, stdout: '', stderr: 'sudo: a password is required\n' }));
      default:
        return transport(host.name, async () => ({ code: 0, stdout: 'Welcome to the machine!\n', stderr: '' }));
    }
  },
};

describe('pkg/probe probe()', function () {
  this.timeout(20_000);

  it('probes every host, records failures with their kind, and produces a valid snapshot', async () => {
    const snapshot = await probe({ loaded, pool });
    expect(validateSnapshot(snapshot)).to.deep.equal({ valid: true, errors: [] });
    const [local, down, sudo, garbage] = snapshot.state.hosts;
    expect(local).to.include({ name: 'local', reachable: true });
    expect(local!.os?.id).to.be.a('string').and.not.equal('');
    expect(down).to.deep.include({ reachable: false, error: { kind: 'unreachable', message: 'unreachable: kubeone@10.0.0.2:22: ECONNREFUSED' } });
    expect(sudo!.error?.kind).to.equal('sudoPassword');
    expect(garbage!.error?.kind).to.equal('commandFailed');
    expect(garbage!.error?.message).to.contain('no valid JSON');
    expect(snapshot.state.kube).to.equal(null);
  });

  it('records the node name KubeOne would detect (`hostname -f`, lower-cased) for hosts without a manifest hostname', async () => {
    const snapshot = await probe({ loaded, pool });
    const local = snapshot.state.hosts[0]!;
    const run = (args: string[]) => {
      try {
        return execFileSync('hostname', args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().toLowerCase();
      } catch {
        return '';
      }
    };
    const fqdn = run(['-f']);
    const short = run([]);
    expect(local.hostname).to.equal(short);
    expect(local.fqdn).to.equal(fqdn);
    expect(local.nodeName).to.equal(fqdn && fqdn !== 'localhost' ? fqdn : short);
    expect(snapshot.state.hosts[1]!.nodeName).to.equal(undefined);
    const named = await probe({ loaded: { ...loaded, hosts: [{ ...hosts[0]!, config: { ...hosts[0]!.config, hostname: 'From-Manifest' } }] }, pool });
    expect(named.state.hosts[0]!.nodeName).to.equal('from-manifest');
  });

  it('sends the script on stdin (a pipe, as OpenSSH gives), and as an argument only where /dev/stdin cannot be opened', async () => {
    const commands: string[] = [];
    const through = (wrap: (c: string) => string) => ({
      get: async (host: ResolvedHost) => transport(host.name, (c, o) => (commands.push(c), localExec(wrap(c), o?.stdin))),
    });
    const one = { ...loaded, hosts: [hosts[0]!] };
    // `cat |` turns the child's socket into a pipe, as sshd's.
    const piped = await probe({ loaded: one, pool: through((c) => `cat | ${c.replace(/^sudo -n /, '')}`) });
    expect(piped.state.hosts[0]).to.include({ reachable: true });
    expect(commands).to.deep.equal(['sudo -n bash /dev/stdin']);
    commands.length = 0;
    const socket = await probe({ loaded: one, pool: through((c) => c) });
    expect(socket.state.hosts[0]).to.include({ reachable: true });
    expect(commands).to.have.length(2);
    expect(commands[1]).to.match(/^sudo -n bash -c '#!\/bin\/bash/);
    expect(JSON.stringify(socket.state.hosts)).to.equal(JSON.stringify(piped.state.hosts));
  });

  it("has the logger load its backend once every host's command is sent, while it waits", async () => {
    const events: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, prepare: () => void events.push('prepare') };
    const two = { ...loaded, hosts: [hosts[0]!, { ...hosts[0]!, id: 1, name: 'local-2' }] };
    const slow = {
      get: async (host: ResolvedHost) =>
        transport(host.name, async (c, o) => {
          events.push(`sent ${host.name}`);
          await new Promise((r) => setTimeout(r, 50));
          events.push(`answered ${host.name}`);
          return localExec(`cat | ${c.replace(/^sudo -n /, '')}`, o?.stdin);
        }),
    };
    await probe({ loaded: two, pool: slow, logger });
    expect(events.slice(0, 3)).to.deep.equal(['sent local', 'sent local-2', 'prepare']);
    expect(events.filter((e) => e === 'prepare')).to.have.length(1);
  });

  it('gives byte-identical hashed parts on two probes of an unchanged machine', async () => {
    const a = await probe({ loaded, pool });
    const b = await probe({ loaded, pool });
    expect(JSON.stringify(a.state)).to.equal(JSON.stringify(b.state));
    expect(a.hash).to.equal(b.hash);
  });
});

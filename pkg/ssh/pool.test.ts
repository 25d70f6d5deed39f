// pkg/ssh against a real local OpenSSH server: exec, files, tunnels, host-key trust on
// first use and change detection, auth failures, unreachable hosts, timeouts, bastions.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import type { ResolvedHost } from '../api/types.js';
import { LocalSshd, sshdAvailable } from './testing/local-sshd.js';
import { createSshPool, type SshPool } from './pool.js';
import { SshError } from './types.js';

function hostFor(sshd: LocalSshd, extra: Partial<ResolvedHost['config']> = {}, name = 'node-1'): ResolvedHost {
  return {
    id: 0,
    role: 'controlPlane',
    name,
    config: { publicAddress: '127.0.0.1', sshPort: sshd.port, sshUsername: 'root', sshPrivateKeyFile: sshd.clientKey, sshAgentSocket: '', ...extra },
  };
}

async function rejection(promise: Promise<unknown>): Promise<SshError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(SshError);
    return error as SshError;
  }
  throw new Error('expected a rejection');
}

(sshdAvailable ? describe : describe.skip)('pkg/ssh pool (local sshd)', function () {
  this.timeout(30_000);
  let sshd: LocalSshd;
  let dir: string;
  const pools: SshPool[] = [];
  const pool = (opts: Parameters<typeof createSshPool>[0] = {}) => {
    const p = createSshPool({ knownHostsPath: path.join(dir, 'known_hosts'), connectRetries: 0, ...opts });
    pools.push(p);
    return p;
  };

  before(async () => {
    sshd = await LocalSshd.start();
  });
  after(async () => {
    await sshd?.destroy();
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kubeone-pool-'));
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.closeAll()));
    await rm(dir, { recursive: true, force: true });
  });

  it('runs commands on one reused connection, with stdin and exit codes', async () => {
    const p = pool();
    const t = await p.get(hostFor(sshd));
    expect(await p.get(hostFor(sshd))).to.equal(t);
    const r = await t.exec('cat; echo err >&2; exit 3', { stdin: 'hello' });
    expect(r).to.deep.equal({ code: 3, stdout: 'hello', stderr: 'err\n' });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.exec(`echo ${i}`)));
    expect(results.map((x) => x.stdout.trim())).to.deep.equal(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it('warm() connects ahead: get() takes that connection, a failure reaches the first get() once, closeAll waits for it', async () => {
    const connected: string[] = [];
    const logger = { debug: (m: string) => connected.push(m), info: () => undefined, warn: () => undefined };
    const p = pool({ logger });
    const host = hostFor(sshd);
    await p.warm([host, host]);
    await new Promise((r) => setTimeout(r, 300)); // the handshake finishes before anyone asks
    expect(connected.filter((m) => m.includes('connected to'))).to.have.length(1);
    const t = await p.get(host);
    expect((await t.exec('echo warm')).stdout).to.equal('warm\n');
    expect(connected.filter((m) => m.includes('connected to'))).to.have.length(1);

    const closed = hostFor(sshd, { sshPort: 1 }, 'node-2');
    await p.warm([closed]);
    expect((await rejection(p.get(closed))).kind).to.equal('unreachable');
    expect((await rejection(p.get(closed))).kind).to.equal('unreachable'); // tried again, not a stale failure

    const late = pool({ logger });
    void late.warm([hostFor(sshd, {}, 'node-3')]);
    await late.closeAll(); // resolves only after the warming connection is done and ended
  });

  it('writes, uploads and reads files atomically with mode', async () => {
    const p = pool();
    const t = await p.get(hostFor(sshd));
    const target = path.join(dir, 'sub', 'file.txt');
    await t.writeFile(target, 'content\n', { mode: 0o600 });
    expect((await t.readFile(target)).toString()).to.equal('content\n');
    expect((await t.exec(`stat -c %a ${target}`)).stdout.trim()).to.equal('600');
    const binary = Buffer.from([0, 1, 2, 255, 10, 13]);
    await t.writeFile(target, binary);
    expect((await t.readFile(target)).equals(binary)).to.equal(true);
    await t.upload(sshd.hostKeyFile + '.pub', path.join(dir, 'up.pub'));
    expect(await readFile(path.join(dir, 'up.pub'), 'utf8')).to.equal(await readFile(sshd.hostKeyFile + '.pub', 'utf8'));
    const missing = await rejection(t.readFile(path.join(dir, 'nope')));
    expect(missing.kind).to.equal('commandFailed');
    expect(missing.message).to.match(/^node-1: reading .*nope failed with exit code 1: .*No such file/);
  });

  it('opens TCP channels from the host (forwardOut)', async () => {
    const server = net.createServer((s) => s.end('pong'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const t = await pool().get(hostFor(sshd));
      const channel = await t.forwardOut('127.0.0.1', (server.address() as net.AddressInfo).port);
      const chunks: Buffer[] = [];
      for await (const chunk of channel) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).to.equal('pong');
    } finally {
      server.close();
    }
  });

  it('times a command out with kind timeout', async () => {
    const t = await pool().get(hostFor(sshd));
    const error = await rejection(t.exec('sleep 5', { timeoutMs: 300 }));
    expect(error.kind).to.equal('timeout');
    expect(error.message).to.contain('node-1').and.contain('timed out after 300 ms');
    expect((await t.exec('echo still usable')).stdout).to.equal('still usable\n');
  });

  it('trusts a host key on first use, records it, and refuses a changed key naming both fingerprints', async () => {
    const known = path.join(dir, 'known_hosts');
    const first = pool();
    await first.get(hostFor(sshd));
    await first.closeAll();
    const recorded = await readFile(known, 'utf8');
    expect(recorded).to.contain(`[127.0.0.1]:${sshd.port} ssh-ed25519 `);
    const oldKey = await sshd.hostPublicKey();
    await sshd.replaceHostKey();
    const error = await rejection(pool().get(hostFor(sshd)));
    expect(error.kind).to.equal('hostKeyChanged');
    expect(error.host).to.equal('node-1');
    const { fingerprint, parsePublicKey } = await import('./known-hosts.js');
    expect(error.message).to.contain(fingerprint(parsePublicKey(oldKey).blob));
    expect(error.message).to.contain(fingerprint(parsePublicKey(await sshd.hostPublicKey()).blob));
    expect(error.message).to.contain('--accept-new-host-key node-1');
    expect(await readFile(known, 'utf8')).to.equal(recorded);
    // Accepting it explicitly for that host replaces the record.
    await pool({ acceptNewHostKeys: ['node-1'] }).get(hostFor(sshd));
    expect(await readFile(known, 'utf8')).to.contain(parsePublicKey(await sshd.hostPublicKey()).blob.toString('base64'));
    await pool().get(hostFor(sshd));
  });

  it('checks sshHostPublicKey from the manifest instead of known_hosts', async () => {
    const ok = hostFor(sshd, { sshHostPublicKey: await sshd.hostPublicKey() });
    await pool().get(ok);
    const otherKey = (await readFile(`${sshd.otherKey}.pub`, 'utf8')).trim();
    const error = await rejection(pool().get(hostFor(sshd, { sshHostPublicKey: otherKey })));
    expect(error.kind).to.equal('hostKeyChanged');
    expect(error.message).to.contain('(manifest)');
  });

  it('reports a key the server does not accept as an authentication failure', async () => {
    const error = await rejection(pool().get(hostFor(sshd, { sshPrivateKeyFile: sshd.otherKey })));
    expect(error.kind).to.equal('auth');
    expect(error.message).to.match(/^node-1: authentication failed for root@127\.0\.0\.1:\d+/);
  });

  it('reports a missing key file and missing credentials as auth errors', async () => {
    expect((await rejection(pool().get(hostFor(sshd, { sshPrivateKeyFile: path.join(dir, 'none') })))).kind).to.equal('auth');
    const error = await rejection(pool({ env: {} }).get(hostFor(sshd, { sshPrivateKeyFile: undefined, sshAgentSocket: undefined })));
    expect(error.kind).to.equal('auth');
    expect(error.message).to.contain('SSH_AUTH_SOCK');
  });

  it('reports a closed port as unreachable after retrying', async () => {
    const closed = hostFor(sshd, { sshPort: 1 });
    const started = Date.now();
    const error = await rejection(pool({ connectRetries: 2, retryBackoffMs: 50 }).get(closed));
    expect(error.kind).to.equal('unreachable');
    expect(error.message).to.contain('ECONNREFUSED');
    expect(Date.now() - started).to.be.greaterThanOrEqual(150);
  });

  it('reports a silent server as a connect timeout', async () => {
    const server = net.createServer(() => undefined); // accepts TCP, never speaks SSH
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const error = await rejection(pool({ connectTimeoutMs: 400 }).get(hostFor(sshd, { sshPort: port })));
      expect(error.kind).to.equal('timeout');
    } finally {
      server.close();
    }
  });

  it('reaches a host through a bastion on one shared bastion connection', async () => {
    // The same sshd plays bastion and target: the target is dialled from the bastion side.
    const behind = (name: string) =>
      hostFor(sshd, { publicAddress: '127.0.0.1', sshPort: sshd.port, bastion: '127.0.0.1', bastionPort: sshd.port, bastionUser: 'root' }, name);
    const p = pool();
    const [a, b] = await Promise.all([p.get(behind('behind-1')), p.get(behind('behind-2'))]);
    expect((await a.exec('echo via')).stdout).to.equal('via\n');
    expect((await b.exec('echo via')).stdout).to.equal('via\n');
    const bad = await rejection(pool().get({ ...behind('behind-3'), config: { ...behind('behind-3').config, bastionPort: 1 } }));
    expect(bad.kind).to.equal('unreachable');
    expect(bad.host).to.equal('behind-3');
    expect(bad.message).to.contain('bastion');
  });

  it('accepts a changed bastion key only by the bastion\'s own name, not by a host behind it', async () => {
    const behind = hostFor(sshd, { publicAddress: '127.0.0.1', sshPort: sshd.port, bastion: '127.0.0.1', bastionPort: sshd.port, bastionUser: 'root' }, 'behind-1');
    await pool().get(behind); // known_hosts holds the current key
    await sshd.replaceHostKey();
    const error = await rejection(pool({ acceptNewHostKeys: ['behind-1'] }).get(behind));
    expect(error.kind).to.equal('hostKeyChanged');
    expect(error.message).to.contain('bastion').and.contain(`--accept-new-host-key 127.0.0.1`).and.contain('not by the hosts behind it');
    expect(error.message).to.not.contain('--accept-new-host-key behind-1');
    // The bastion's own name accepts it (here the bastion and the host are the same sshd).
    const t = await pool({ acceptNewHostKeys: ['127.0.0.1'] }).get(behind);
    expect((await t.exec('echo via')).stdout).to.equal('via\n');
  });
});

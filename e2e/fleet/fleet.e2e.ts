// The sandbox fleet itself: hosts behave like small Linux machines reached over
// SSH, and the fault controls produce the failures they promise.
import { readFile, stat } from 'node:fs/promises';

import { expect } from 'chai';
import { parse } from 'yaml';

import { Fleet, inspectContainer, sshConnect, startFleet, type SshConnection } from './index.js';

interface SshError extends Error {
  code?: string;
  level?: string;
}

/** Resolves with the error a login attempt fails with (or fails the test). */
async function loginError(attempt: Promise<SshConnection>): Promise<SshError> {
  try {
    const connection = await attempt;
    connection.close();
  } catch (error) {
    return error as SshError;
  }
  throw new Error('the login succeeded, a failure was expected');
}

describe('sandbox fleet: 2 control planes + 1 worker, direct SSH', function () {
  let fleet: Fleet;

  before(async function () {
    fleet = await startFleet({ controlPlanes: 2, workers: 1 });
  });

  after(async function () {
    await fleet?.destroy();
  });

  it('lets kubeone log in with the generated key, which stays private', async function () {
    for (const host of fleet.hosts) {
      const result = await fleet.sshRun(host, 'id -un');
      expect(result.stdout.trim(), host.name).to.equal('kubeone');
    }
    expect((await stat(fleet.keyPath)).mode & 0o077, 'key file mode').to.equal(0);
  });

  it('refuses passwords and root logins', async function () {
    const host = fleet.hosts[0];
    const key = await readFile(fleet.keyPath, 'utf8');
    // Give sshd every chance to let them in: only its configuration can say no.
    const open = await fleet.exec(host, 'install -d -m 700 /root/.ssh && cp /home/kubeone/.ssh/authorized_keys /root/.ssh/ && echo kubeone:kubeone | chpasswd');
    expect(open.exitCode, open.stderr).to.equal(0);
    const asRoot = await loginError(sshConnect({ host: host.sshAddress!, port: host.sshPort!, user: 'root', privateKey: key }));
    expect(asRoot.level, asRoot.message).to.equal('client-authentication');
    const withPassword = await loginError(
      sshConnect({ host: host.sshAddress!, port: host.sshPort!, user: 'kubeone', password: 'kubeone' }),
    );
    expect(withPassword.level, withPassword.message).to.equal('client-authentication');
    await fleet.exec(host, "rm -rf /root/.ssh && usermod -p '*' kubeone");
  });

  it('gives kubeone passwordless sudo', async function () {
    for (const host of fleet.hosts) {
      const result = await fleet.sshRun(host, 'sudo -n true && sudo -n id -u');
      expect(result.exitCode, `${host.name}: ${result.stderr}`).to.equal(0);
      expect(result.stdout.trim()).to.equal('0');
    }
  });

  it('boots systemd to "running"', async function () {
    for (const host of fleet.hosts) {
      const state = (await fleet.sshRun(host, 'timeout 30 systemctl is-system-running --wait')).stdout.trim();
      const failed = state === 'running' ? '' : (await fleet.exec(host, 'systemctl --failed --no-legend --plain')).stdout;
      expect(state, `${host.name}: failed units:\n${failed}`).to.equal('running');
    }
  });

  it('has distinct hostnames and distinct SSH host keys', async function () {
    const hostnames: string[] = [];
    const hostKeys: string[] = [];
    for (const host of fleet.hosts) {
      const connection = await fleet.ssh(host);
      hostKeys.push(connection.hostKeyFingerprint);
      connection.close();
      hostnames.push((await fleet.sshRun(host, 'hostname')).stdout.trim());
    }
    expect(hostnames).to.deep.equal(fleet.hosts.map((h) => h.hostname));
    expect(new Set(hostKeys).size, hostKeys.join(' ')).to.equal(fleet.hosts.length);
  });

  it('lets every host reach the others by address and by hostname', async function () {
    for (const from of fleet.hosts) {
      for (const to of fleet.hosts.filter((h) => h !== from)) {
        const probe = `timeout 3 bash -c '</dev/tcp/${to.privateAddress}/22' && getent hosts ${to.hostname}`;
        const result = await fleet.sshRun(from, probe);
        expect(result.exitCode, `${from.name} -> ${to.name}: ${result.stderr}`).to.equal(0);
        expect(result.stdout.split(/\s+/)[0], `${to.hostname} resolves on ${from.name}`).to.equal(to.privateAddress);
      }
    }
  });

  it('writes a kubeone.yaml that describes the fleet', async function () {
    const manifest = parse(await readFile(fleet.manifestPath, 'utf8'));
    expect(manifest).to.include({ apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', name: fleet.name });
    const entries = [...manifest.controlPlane.hosts, ...manifest.staticWorkers.hosts];
    expect(entries.map((e: { privateAddress: string }) => e.privateAddress)).to.deep.equal(fleet.hosts.map((h) => h.privateAddress));
    for (const [i, host] of fleet.hosts.entries()) {
      expect(entries[i]).to.include({ publicAddress: '127.0.0.1', sshPort: host.sshPort, sshUsername: 'kubeone', sshPrivateKeyFile: fleet.keyPath });
    }
    expect(manifest.apiEndpoint.host).to.equal(fleet.controlPlanes[0].privateAddress);
    expect(manifest.kubernetesBinaries.bundle.path).to.match(/^\/.*\/e2e\/kubesim\/dist\/kubernetes-node-linux-\{arch\}-v\{version\}\.tar\.gz$/);
  });
});

describe('sandbox fleet: behind a bastion', function () {
  let fleet: Fleet;

  before(async function () {
    fleet = await startFleet({ controlPlanes: 1, workers: 1, bastion: true });
  });

  after(async function () {
    await fleet?.destroy();
  });

  it('reaches the hosts through the bastion only', async function () {
    for (const host of [...fleet.controlPlanes, ...fleet.workers]) {
      expect(host.sshPort, `${host.name} publishes no port`).to.equal(undefined);
      const ports = (await inspectContainer(host.containerId))?.NetworkSettings?.Ports ?? {};
      expect(Object.values(ports).filter((bindings) => bindings !== null), `${host.name} port bindings`).to.deep.equal([]);
      const target = fleet.sshTarget(host);
      expect(target.via?.port).to.equal(fleet.bastion!.sshPort);
      expect((await fleet.sshRun(host, 'hostname')).stdout.trim()).to.equal(host.hostname);
    }
  });

  it('writes bastion fields into kubeone.yaml', async function () {
    const manifest = parse(await readFile(fleet.manifestPath, 'utf8'));
    const cp = manifest.controlPlane.hosts[0];
    const cp1 = fleet.controlPlanes[0];
    expect(cp).to.include({ publicAddress: cp1.privateAddress, bastion: '127.0.0.1', bastionPort: fleet.bastion!.sshPort, bastionUser: 'kubeone' });
    expect(cp).to.not.have.property('sshPort');
  });
});

describe('sandbox fleet: faults', function () {
  let fleet: Fleet;

  before(async function () {
    fleet = await startFleet({ controlPlanes: 1, workers: 1 });
  });

  after(async function () {
    await fleet?.destroy();
  });

  it('a stopped host refuses SSH; started again, it answers with the same host key', async function () {
    const first = await fleet.ssh('cp-1');
    const hostKey = first.hostKeyFingerprint;
    first.close();
    await fleet.stop('cp-1');
    const refused = await loginError(fleet.ssh('cp-1', 2_000));
    expect(refused.code, refused.message).to.equal('ECONNREFUSED');
    await fleet.start('cp-1');
    const again = await fleet.ssh('cp-1');
    again.close();
    expect(again.hostKeyFingerprint).to.equal(hostKey);
  });

  it('a disconnected host times out rather than refusing, and answers once reconnected', async function () {
    const cp1 = fleet.host('cp-1');
    await fleet.disconnect(cp1);
    const fromHere = await loginError(fleet.ssh(cp1, 2_000));
    expect(fromHere.level, fromHere.message).to.equal('client-timeout');
    const fromPeer = await fleet.sshRun('worker-1', `timeout 2 bash -c '</dev/tcp/${cp1.privateAddress}/22'; echo $?`);
    expect(fromPeer.stdout.trim(), `worker-1 -> cp-1: ${fromPeer.stderr}`).to.equal('124');
    await fleet.reconnect(cp1);
    expect((await fleet.sshRun(cp1, 'hostname')).stdout.trim()).to.equal('cp-1');
  });

  it('a paused host times out; unpaused, it answers', async function () {
    await fleet.pause('worker-1');
    const paused = await loginError(fleet.ssh('worker-1', 2_000));
    expect(paused.level, paused.message).to.equal('client-timeout');
    await fleet.unpause('worker-1');
    expect((await fleet.sshRun('worker-1', 'hostname')).stdout.trim()).to.equal('worker-1');
  });

  it('a replaced host is a fresh machine on the same address and port, or on a new address', async function () {
    const before = fleet.host('worker-1');
    const oldKey = (await fleet.exec(before, 'cat /etc/ssh/ssh_host_ed25519_key.pub')).stdout;
    await fleet.exec(before, 'touch /var/tmp/old-disk');
    const fresh = await fleet.replace('worker-1');
    expect(fresh).to.include({ privateAddress: before.privateAddress, sshPort: before.sshPort });
    expect(fresh.containerId).to.not.equal(before.containerId);
    expect((await fleet.exec(fresh, 'cat /etc/ssh/ssh_host_ed25519_key.pub')).stdout).to.not.equal(oldKey);
    expect((await fleet.sshRun(fresh, 'test -e /var/tmp/old-disk; echo $?')).stdout.trim()).to.equal('1');
    const moved = await fleet.replace('worker-1', { sameAddress: false });
    expect(moved.privateAddress).to.not.equal(before.privateAddress);
    const seen = await fleet.sshRun('cp-1', `timeout 3 bash -c '</dev/tcp/${moved.privateAddress}/22' && getent hosts worker-1`);
    expect(seen.stdout.split(/\s+/)[0], seen.stderr).to.equal(moved.privateAddress);
    const manifest = parse(await readFile(fleet.manifestPath, 'utf8'));
    expect(manifest.staticWorkers.hosts[0].privateAddress).to.equal(moved.privateAddress);
  });

  it('a killed host comes back with start', async function () {
    await fleet.kill('worker-1');
    const killed = await loginError(fleet.ssh('worker-1', 2_000));
    expect(killed.code, killed.message).to.equal('ECONNREFUSED');
    await fleet.start('worker-1');
    expect((await fleet.sshRun('worker-1', 'hostname')).stdout.trim()).to.equal('worker-1');
  });

  it('re-attaches from fleet.json in the fleet dir', async function () {
    const attached = await Fleet.attach(fleet.dir);
    expect(attached.hosts).to.deep.equal(fleet.hosts);
    expect((await attached.exec('cp-1', 'hostname')).stdout.trim()).to.equal('cp-1');
  });
});

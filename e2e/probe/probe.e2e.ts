// The probe against real hosts of a sandbox fleet (systemd + sshd containers), through the
// product's SSH pool, in the host states issue 5 lists. Cluster-level facts of a running
// cluster (Nodes, etcd) need the simulator and live in cluster-probe.e2e.ts once it lands.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';
import type { Client } from 'ssh2';

import type { LoadedCluster } from '../../pkg/api/types.js';
import { runStatus, runSnapshot } from '../../pkg/probe/commands.js';
import { probe } from '../../pkg/probe/index.js';
import { serializeSnapshot, validateSnapshot } from '../../pkg/snapshot/snapshot.js';
import type { HostFacts, Snapshot } from '../../pkg/snapshot/types.js';
import { connectEndpoint } from '../../pkg/ssh/connect.js';
import { resolveEndpoints } from '../../pkg/ssh/endpoint.js';
import { KnownHosts } from '../../pkg/ssh/known-hosts.js';
import type { Logger } from '../../pkg/ssh/logger.js';
import { createSshPool, type SshPoolOptions } from '../../pkg/ssh/pool.js';
import { type Fleet, sshExec, startFleet } from '../fleet/index.js';
import { fleetCluster } from './fleet-cluster.js';

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

class MemoryLogger implements Logger {
  lines: string[] = [];
  debug(m: string) { this.lines.push(m); }
  info(m: string) { this.lines.push(m); }
  warn(m: string) { this.lines.push(m); }
}

const FAKE_KUBELET = `#!/bin/bash
if [ "\${1:-}" = "--version" ]; then echo "Kubernetes v1.35.1"; exit 0; fi
exec sleep infinity
`;
const KUBELET_UNIT = `[Unit]
Description=kubelet (probe test stand-in)
[Service]
ExecStart=/usr/local/bin/kubelet
[Install]
WantedBy=multi-user.target
`;
// Fake credentials planted on the hosts: none of them may appear in snapshots or logs.
const FAKE_CLIENT_KEY = 'MHcCAQEEIFAKEADMINCLIENTKEYkubeonetestDONOTLEAKabcdefghijklmnop';
const BOOTSTRAP_TOKEN = 'abcdef.0123456789abcdef';

describe('probe on a sandbox fleet', function () {
  let fleet: Fleet;
  let loaded: LoadedCluster;
  let dir: string;
  let logger: MemoryLogger;
  const snapshots: string[] = [];

  const poolOptions = (extra: SshPoolOptions = {}): SshPoolOptions => ({ knownHostsPath: path.join(dir, 'known_hosts'), logger, baseDir: dir, connectTimeoutMs: 5_000, connectRetries: 1, ...extra });
  const probeFleet = async (cluster: LoadedCluster = loaded, extra: SshPoolOptions = {}): Promise<Snapshot> => {
    const pool = createSshPool(poolOptions(extra));
    try {
      const snapshot = await probe({ loaded: cluster, pool, logger });
      expect(validateSnapshot(snapshot)).to.deep.equal({ valid: true, errors: [] });
      snapshots.push(serializeSnapshot(snapshot));
      return snapshot;
    } finally {
      await pool.closeAll();
    }
  };
  const host = (s: Snapshot, name: string): HostFacts => s.state.hosts.find((h) => h.name === name)!;
  const root = (name: string, script: string) => fleet.exec(name, script).then((r) => {
    if (r.exitCode !== 0) throw new Error(`${name}: ${script}: ${r.stderr}`);
    return r.stdout;
  });

  before(async function () {
    this.timeout(180_000);
    dir = await mkdtemp(path.join(os.tmpdir(), 'kubeone-probe-e2e-'));
    logger = new MemoryLogger();
    fleet = await startFleet({ controlPlanes: 1, workers: 2, name: `probe-${process.pid}` });
    loaded = fleetCluster(fleet);
  });
  after(async function () {
    this.timeout(120_000);
    await fleet?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('probes a fresh fleet: every host reachable, nothing installed, status says not provisioned', async () => {
    const snapshot = await probeFleet();
    expect(snapshot.state.kube).to.equal(null);
    for (const h of snapshot.state.hosts) {
      expect(h.reachable, h.name).to.equal(true);
      expect(h.hostname).to.equal(h.name);
      expect(h.os).to.deep.include({ id: 'debian', versionId: '12' });
      expect(h.arch).to.equal('amd64');
      expect(h.containerd?.unit.installed).to.equal(false);
      expect(h.kubelet?.version).to.equal('');
      expect(h.binaries?.origin).to.equal('none');
      expect(h.lock).to.equal(null);
    }
    let out = '';
    await runStatus({ loaded, logger, write: (t) => (out += t), knownHostsPath: path.join(dir, 'known_hosts') });
    expect(out.split('\n')[0]).to.match(/^NODE\s+ROLE\s+OS\s+CONTAINERD\s+KUBELET\s+APISERVER\s+ETCD\s+READY$/);
    expect(out).to.match(/cp-1\s+control-plane\s+debian 12\s+-\s+-/);
    expect(out).to.contain('worker-2: not provisioned');
  });

  it('sends its script on stdin: sudo logs `bash /dev/stdin`, not the script, and no temp file is left', async () => {
    await probeFleet();
    const log = await root('worker-1', "journalctl -o cat _COMM=sudo | grep 'COMMAND=' | tail -n 1; ls -A /tmp");
    expect(log).to.contain('COMMAND=/usr/bin/bash /dev/stdin');
    expect(log).not.to.contain('kubeone probe');
    expect(log).not.to.match(/tmp\.[A-Za-z0-9]{10}/);
  });

  it('does not ask a host to prove its other host keys, which ssh2 does by default', async () => {
    // Runs `true` and reports whether ssh2 emitted 'hostkeys', the event it emits once the host
    // has proved the keys it announced after authentication. The proof's request precedes the
    // channel's, so its answer arrives before the command ends.
    const provedKeys = async (client: Client): Promise<boolean> => {
      let proved = false;
      client.on('hostkeys', () => (proved = true));
      await sshExec(client, 'true');
      return proved;
    };
    // The control: ssh2's own client (the fleet's test connection), as the probe benchmark's bound was, does ask.
    const plain = await fleet.ssh('worker-1');
    try {
      expect(await provedKeys(plain.client)).to.equal(true);
    } finally {
      plain.close();
    }
    const target = loaded.hosts.find((h) => h.name === 'worker-1')!;
    const ours = await connectEndpoint(resolveEndpoints(target, dir).host, { hostName: target.name, knownHosts: new KnownHosts(path.join(dir, 'known_hosts')), timeoutMs: 5_000, logger });
    try {
      expect(await provedKeys(ours)).to.equal(false);
    } finally {
      ours.end();
    }
  });

  it('gives byte-identical hashed parts for two probes of an unchanged fleet', async () => {
    const a = await probeFleet();
    const b = await probeFleet();
    expect(JSON.stringify(a.state)).to.equal(JSON.stringify(b.state));
    expect(a.hash).to.equal(b.hash);
  });

  it('sees containerd once installed, and a kubelet installed but not joined, running and stopped', async function () {
    this.timeout(300_000);
    await root('worker-1', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q containerd >/dev/null');
    await root('worker-2', [
      `printf '%s' '${FAKE_KUBELET}' > /usr/local/bin/kubelet && chmod 755 /usr/local/bin/kubelet`,
      `printf '%s' '${KUBELET_UNIT}' > /etc/systemd/system/kubelet.service`,
      `mkdir -p /etc/kubeone && echo '{"origin":"bundle","version":"1.35.1"}' > /etc/kubeone/binaries.json`,
      'systemctl daemon-reload && systemctl enable --now kubelet',
    ].join(' && '));
    let snapshot = await probeFleet();
    const w1 = host(snapshot, 'worker-1');
    expect(w1.containerd?.unit).to.deep.equal({ installed: true, active: 'active', sub: 'running', enabled: true });
    expect(w1.containerd?.version).to.match(/^\d+\.\d+\.\d+/);
    // Debian's package ships a config.toml; the probe hashes whatever is there.
    expect(w1.containerd?.config.sha256).to.match(/^[0-9a-f]{64}$/);
    const w2 = host(snapshot, 'worker-2');
    expect(w2.kubelet).to.deep.include({ version: '1.35.1', kubeconfig: false });
    expect(w2.kubelet?.unit.active).to.equal('active');
    expect(w2.binaries).to.deep.equal({ origin: 'bundle', version: '1.35.1' });
    expect(w2.managedFiles?.['/etc/systemd/system/kubelet.service']?.exists).to.equal(true);

    await root('worker-2', 'systemctl stop kubelet');
    snapshot = await probeFleet();
    expect(host(snapshot, 'worker-2').kubelet?.unit).to.deep.include({ installed: true, active: 'inactive', sub: 'dead' });
  });

  it('records an initialized control plane and a joined worker, and leaks no secret', async function () {
    this.timeout(120_000);
    await root('cp-1', [
      'mkdir -p /etc/kubernetes/manifests /etc/kubernetes/pki',
      `printf 'apiVersion: v1\\nkind: Config\\nusers:\\n- name: kubernetes-admin\\n  user:\\n    client-key-data: ${FAKE_CLIENT_KEY}\\n' > /etc/kubernetes/admin.conf`,
      `printf 'spec:\\n  containers:\\n  - image: registry.k8s.io/kube-apiserver:v1.35.1\\n' > /etc/kubernetes/manifests/kube-apiserver.yaml`,
      `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 20 -subj /CN=kubernetes -keyout /etc/kubernetes/pki/ca.key -out /etc/kubernetes/pki/ca.crt 2>/dev/null`,
    ].join(' && '));
    await root('worker-2', `mkdir -p /etc/kubernetes && printf 'token: ${BOOTSTRAP_TOKEN}\\n' > /etc/kubernetes/bootstrap-kubelet.conf && touch /etc/kubernetes/kubelet.conf`);
    const snapshot = await probeFleet();
    const cp = host(snapshot, 'cp-1');
    expect(cp.adminConf).to.equal(true);
    expect(cp.staticPods).to.deep.equal({ 'kube-apiserver': '1.35.1' });
    expect(Object.keys(cp.certs ?? {})).to.deep.equal(['ca.crt']);
    const days = (Date.parse(cp.certsEarliestExpiry!) - Date.now()) / 86_400_000;
    expect(days).to.be.within(18, 21);
    expect(host(snapshot, 'worker-2').kubelet?.kubeconfig).to.equal(true);
    // No apiserver answers: the cluster part says so instead of failing the probe.
    expect(snapshot.state.kube).to.deep.include({ leader: null, apiserverHealthy: { 'cp-1': false } });
    expect(snapshot.state.kube?.error).to.contain('no control plane');

    const privateKey = (await readFile(fleet.keyPath, 'utf8')).split('\n').filter((l) => l && !l.startsWith('-----'));
    const haystack = [...snapshots, logger.lines.join('\n')].join('\n');
    for (const secret of [FAKE_CLIENT_KEY, BOOTSTRAP_TOKEN, 'abcdef', ...privateKey]) {
      expect(haystack.includes(secret), `secret ${secret.slice(0, 8)}... leaked`).to.equal(false);
    }
    const grep = execFileSync('bash', ['-c', `grep -c -e ${FAKE_CLIENT_KEY} -e ${BOOTSTRAP_TOKEN} || true`], { input: haystack }).toString().trim();
    expect(grep).to.equal('0');
  });

  it('reports sudo that asks for a password as sudoPassword, without hanging', async function () {
    this.timeout(60_000);
    await root('worker-1', "echo 'kubeone ALL=(ALL:ALL) ALL' > /etc/sudoers.d/kubeone");
    try {
      const snapshot = await probeFleet();
      const w1 = host(snapshot, 'worker-1');
      expect(w1.reachable).to.equal(false);
      expect(w1.error?.kind).to.equal('sudoPassword');
      expect(host(snapshot, 'cp-1').reachable).to.equal(true);
    } finally {
      await root('worker-1', "echo 'kubeone ALL=(ALL:ALL) NOPASSWD: ALL' > /etc/sudoers.d/kubeone");
    }
  });

  it('reports a key the host does not accept as auth', async () => {
    const otherKey = path.join(dir, 'other_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    const snapshot = await probeFleet(fleetCluster(fleet, { 'worker-1': { sshPrivateKeyFile: otherKey } }));
    expect(host(snapshot, 'worker-1').error?.kind).to.equal('auth');
    expect(host(snapshot, 'worker-2').reachable).to.equal(true);
  });

  it('refuses a changed host key naming both fingerprints, and accepts it on request', async function () {
    this.timeout(180_000);
    await fleet.replace('worker-2');
    loaded = fleetCluster(fleet);
    let snapshot = await probeFleet();
    const error = host(snapshot, 'worker-2').error;
    expect(error?.kind).to.equal('hostKeyChanged');
    expect(error?.message.match(/SHA256:[A-Za-z0-9+/]{43}/g)).to.have.length(2);
    snapshot = await probeFleet(loaded, { acceptNewHostKeys: ['worker-2'] });
    expect(host(snapshot, 'worker-2').reachable).to.equal(true);
    snapshot = await probeFleet();
    expect(host(snapshot, 'worker-2').reachable).to.equal(true);
  });

  it('records a stopped host as unreachable and probes the others', async function () {
    this.timeout(120_000);
    await fleet.stop('worker-1');
    const out = path.join(dir, 'snapshot.json');
    const snapshot = await runSnapshot({ loaded, logger, output: out, knownHostsPath: path.join(dir, 'known_hosts'), connectTimeoutMs: 5_000 });
    expect(host(snapshot, 'worker-1')).to.deep.include({ reachable: false });
    expect(host(snapshot, 'worker-1').error?.kind).to.be.oneOf(['unreachable', 'timeout']);
    expect(host(snapshot, 'cp-1').reachable).to.equal(true);
    expect(validateSnapshot(JSON.parse(await readFile(out, 'utf8'))).valid).to.equal(true);
  });
});

describe('probe through a bastion', function () {
  let fleet: Fleet;
  let dir: string;

  before(async function () {
    this.timeout(180_000);
    dir = await mkdtemp(path.join(os.tmpdir(), 'kubeone-probe-bastion-'));
    fleet = await startFleet({ controlPlanes: 1, workers: 1, bastion: true, name: `probe-b-${process.pid}` });
  });
  after(async function () {
    this.timeout(120_000);
    await fleet?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('reaches hosts that publish no SSH port through the bastion', async () => {
    const loaded = fleetCluster(fleet);
    expect(loaded.hosts.every((h) => h.config.bastion === '127.0.0.1')).to.equal(true);
    const pool = createSshPool({ knownHostsPath: path.join(dir, 'known_hosts') });
    try {
      const snapshot = await probe({ loaded, pool });
      expect(validateSnapshot(snapshot).valid).to.equal(true);
      expect(snapshot.state.hosts.map((h) => [h.name, h.reachable, h.hostname])).to.deep.equal([
        ['cp-1', true, 'cp-1'],
        ['worker-1', true, 'worker-1'],
      ]);
      expect(snapshot.state.hosts[0]!.address).to.contain('via 127.0.0.1:');
    } finally {
      await pool.closeAll();
    }
    const known = await readFile(path.join(dir, 'known_hosts'), 'utf8');
    expect(known.trim().split('\n')).to.have.length(3); // bastion + 2 hosts
  });
});

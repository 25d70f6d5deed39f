import { expect } from 'chai';
import { fixtureCluster } from '../scripts/testing/fixtures.js';
import { sha256Hex } from '../api/sha256.js';
import { computeDesired, containerdFilesFor, fileGroupOf, groupFilesFor, kubeletFilesFor, kubeletUnitFilesFor, managedFilesFor } from './index.js';

describe('computeDesired', () => {
  it('hashes exactly the bytes the renderers produce, per host', () => {
    const loaded = fixtureCluster({ kubernetesBinaries: { bundle: { path: './b-{version}.tar.gz' } } });
    const desired = computeDesired(loaded, []);
    const worker = loaded.hosts[2]!;
    const files = managedFilesFor(loaded, worker);
    expect(Object.keys(desired.managedFiles['worker-1']!)).to.have.members(files.map((f) => f.path));
    for (const f of files) expect(desired.managedFiles['worker-1']![f.path]).to.equal(sha256Hex(f.content));
    expect(desired.managedFiles['worker-1']).to.have.property('/etc/systemd/system/kubelet.service');
    // Per-host content differs (node IP), shared content does not.
    expect(desired.managedFiles['cp-1']!['/var/lib/kubelet/kubeadm-flags.env']).not.to.equal(
      desired.managedFiles['worker-1']!['/var/lib/kubelet/kubeadm-flags.env'],
    );
    expect(desired.managedFiles['cp-1']!['/etc/containerd/config.toml']).to.equal(
      desired.managedFiles['worker-1']!['/etc/containerd/config.toml'],
    );
  });

  it('leaves the unit files to the package manager without a bundle', () => {
    const desired = computeDesired(fixtureCluster(), []);
    expect(desired.managedFiles['cp-1']).not.to.have.property('/etc/systemd/system/kubelet.service');
  });

  it('renders the ClusterConfiguration and a stable manifest hash that follows changes', () => {
    const a = computeDesired(fixtureCluster(), null);
    const b = computeDesired(fixtureCluster(), null);
    const c = computeDesired(fixtureCluster({ versions: { kubernetes: '1.36.0' } }), null);
    expect(a.clusterConfiguration).to.include({ kind: 'ClusterConfiguration', kubernetesVersion: 'v1.35.1', controlPlaneEndpoint: '10.0.0.11:6443' });
    expect(a.manifestHash).to.equal(b.manifestHash).and.to.match(/^[0-9a-f]{64}$/);
    expect(c.manifestHash).not.to.equal(a.manifestHash);
    expect(a.addons).to.equal(null);
  });

  it('names hosts after their machines (snapshot node names) and renders with those names; duplicates are refused', () => {
    const loaded = fixtureCluster();
    for (const h of loaded.hosts) delete h.config.hostname;
    const facts = loaded.hosts.map((h) => ({ name: h.name, id: h.id, role: h.role, address: '', privateAddress: '', reachable: true, nodeName: `${h.name}.lan` }));
    const desired = computeDesired(loaded, [], { facts });
    expect(desired.cluster.hosts.map((h) => h.config.hostname)).to.deep.equal(['cp-1.lan', 'cp-2.lan', 'worker-1.lan']);
    const flags = kubeletFilesFor(desired.cluster, desired.cluster.hosts[2]!)[0]!;
    expect(flags.content).to.contain('--hostname-override=worker-1.lan ');
    expect(desired.managedFiles['worker-1']!['/var/lib/kubelet/kubeadm-flags.env']).to.equal(sha256Hex(flags.content));
    expect(() => computeDesired(loaded, [], { facts: facts.map((f) => ({ ...f, nodeName: 'same' })) })).to.throw(/node name "same"/);
  });

  it("points the kubelet at systemd-resolved's resolv.conf on the hosts that have it, as kubeadm does where systemd-resolved runs", () => {
    const loaded = fixtureCluster();
    const facts = loaded.hosts.map((h, i) => ({ name: h.name, id: h.id, role: h.role, address: '', privateAddress: '', reachable: true, ...(i === 2 ? { systemdResolved: true } : {}) }));
    const desired = computeDesired(loaded, [], { facts });
    const config = (env: { systemdResolved?: boolean }) => kubeletFilesFor(loaded, loaded.hosts[2]!, env).find((f) => f.path === '/var/lib/kubelet/config.yaml')!.content;
    expect(config({ systemdResolved: true })).to.match(/^resolvConf: \/run\/systemd\/resolve\/resolv\.conf$/m);
    expect(config({})).not.to.contain('resolvConf');
    expect(desired.managedFiles['worker-1']!['/var/lib/kubelet/config.yaml']).to.equal(sha256Hex(config({ systemdResolved: true })));
    expect(desired.managedFiles['cp-1']!['/var/lib/kubelet/config.yaml']).to.equal(sha256Hex(config({})));
  });

  it('hashes the containerd config in the format of the containerd each host runs', () => {
    const loaded = fixtureCluster();
    const facts = loaded.hosts.map((h, i) => ({ name: h.name, id: h.id, role: h.role, address: '', privateAddress: '', reachable: true, containerd: { unit: { installed: true, active: 'active' as const, sub: 'running', enabled: true }, version: i === 0 ? '1.6.20' : '2.2.0', config: { exists: true, sha256: '' } } }));
    const desired = computeDesired(loaded, [], { facts });
    const hash = (major: number) => sha256Hex(containerdFilesFor(loaded, major)[0]!.content);
    expect(desired.managedFiles['cp-1']!['/etc/containerd/config.toml']).to.equal(hash(1));
    expect(desired.managedFiles['cp-2']!['/etc/containerd/config.toml']).to.equal(hash(2));
    expect(hash(1)).not.to.equal(hash(2));
  });

  it('sorts every rendered file into the group of the op that writes it (one kubelet-files list)', () => {
    const loaded = fixtureCluster({ kubernetesBinaries: { bundle: { path: './b-{version}.tar.gz' } }, proxy: { http: 'http://proxy:3128' } });
    const host = loaded.hosts[2]!;
    const containerd = containerdFilesFor(loaded).map((f) => f.path);
    const kubelet = [...kubeletFilesFor(loaded, host), ...kubeletUnitFilesFor(loaded)].map((f) => f.path);
    expect(containerd).to.include('/etc/crictl.yaml');
    expect(kubelet).to.include('/etc/systemd/system/kubelet.service');
    expect(containerd.map(fileGroupOf)).to.deep.equal(containerd.map(() => 'containerd'));
    expect(kubelet.map(fileGroupOf)).to.deep.equal(kubelet.map(() => 'kubelet'));
    expect(groupFilesFor(loaded, host, { family: 'debian' }, 'kubelet').map((f) => f.path).sort()).to.deep.equal([...kubelet].sort());
    expect(groupFilesFor(loaded, host, { family: 'debian' }, 'containerd').map((f) => f.path).sort()).to.deep.equal([...containerd].sort());
  });
});

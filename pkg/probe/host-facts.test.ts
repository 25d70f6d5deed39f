import { expect } from 'chai';

import type { ResolvedHost } from '../api/types.js';
import { PROVISIONED_CP } from './testing/fixtures.js';
import { imageTag, normalizeArch, opensslDateToIso, parseEtcdMembers, parseHostOutput, parseUnits, parseVersion, type RawHostOutput } from './host-facts.js';

const host: ResolvedHost = { id: 0, role: 'controlPlane', name: 'cp-1', config: { publicAddress: '127.0.0.1', sshPort: 2201, privateAddress: '10.5.0.11', hostname: 'cp-1' } };
const sha = (c: string) => c.repeat(64);


describe('pkg/probe host facts', () => {
  it('parses systemctl show blocks', () => {
    const units = parseUnits(PROVISIONED_CP.units as string);
    expect(units.containerd).to.deep.equal({ installed: true, active: 'active', sub: 'running', enabled: true });
    expect(units.kubelet).to.deep.equal({ installed: true, active: 'failed', sub: 'failed', enabled: false });
    expect(parseUnits('Id=kubelet.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nUnitFileState=')).to.deep.equal({
      kubelet: { installed: false, active: 'inactive', sub: 'dead', enabled: false },
    });
  });

  it('extracts versions from tool outputs', () => {
    expect(parseVersion('Kubernetes v1.35.1')).to.equal('1.35.1');
    expect(parseVersion('containerd containerd.io 1.7.27 05044ec0a9a75232cad458027ca83437aae3f4da', 'containerd')).to.equal('1.7.27');
    expect(parseVersion('containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1', 'containerd')).to.equal('1.6.20');
    expect(parseVersion('v1.36.0-alpha.1')).to.equal('1.36.0-alpha.1');
    expect(parseVersion('')).to.equal('');
    expect(parseVersion('command not found')).to.equal('');
  });

  it('normalizes arch, image tags and openssl dates', () => {
    expect(normalizeArch('x86_64')).to.equal('amd64');
    expect(normalizeArch('aarch64')).to.equal('arm64');
    expect(imageTag('registry.k8s.io/kube-apiserver:v1.35.1')).to.equal('1.35.1');
    expect(imageTag('localhost:5000/etcd:3.6.4-0@sha256:abc')).to.equal('3.6.4-0');
    expect(imageTag('localhost:5000/etcd')).to.equal('');
    expect(opensslDateToIso('Feb  3 10:01:02 2030 GMT')).to.equal('2030-02-03T10:01:02Z');
    expect(opensslDateToIso('garbage')).to.equal('');
  });

  it('turns etcd gateway IDs into hex as etcdctl prints them', () => {
    expect(parseEtcdMembers(PROVISIONED_CP.etcdMembers as string)).to.deep.equal([
      { id: 'ab54a98ceb1f0ad2', name: 'cp-1', peerURLs: ['https://10.5.0.11:2380'], clientURLs: ['https://10.5.0.11:2379'], isLearner: false },
    ]);
    expect(parseEtcdMembers('')).to.equal(null);
    expect(parseEtcdMembers('curl: (7) failed')).to.equal(null);
  });

  it('builds the facts of a provisioned control plane', () => {
    const { facts, extras } = parseHostOutput(host, PROVISIONED_CP);
    expect(facts).to.deep.include({ name: 'cp-1', id: 0, role: 'controlPlane', address: '127.0.0.1:2201', privateAddress: '10.5.0.11', reachable: true, hostname: 'cp-1', arch: 'amd64', cpus: 2, memoryMiB: 3936, swapOn: false });
    expect(facts.prerequisites).to.deep.equal({ modules: true, sysctls: true, swapDisabledPersistently: true });
    expect(facts.containerd).to.deep.equal({ unit: { installed: true, active: 'active', sub: 'running', enabled: true }, version: '1.6.20', config: { exists: true, sha256: sha('a') } });
    expect(facts.kubelet?.version).to.equal('1.35.1');
    expect(facts.kubelet?.flags).to.deep.equal({ exists: false, sha256: '' });
    expect(facts.kubelet?.kubeconfig).to.equal(true);
    expect(facts.binaries).to.deep.equal({ origin: 'bundle', version: '1.35.1' });
    expect(facts.staticPods).to.deep.equal({ etcd: '3.6.4-0', 'kube-apiserver': '1.35.1' });
    expect(Object.keys(facts.staticPods!)).to.deep.equal(['etcd', 'kube-apiserver']);
    expect(facts.certsEarliestExpiry).to.equal('2027-11-25T06:00:00Z');
    expect(facts.lock).to.deep.equal({ id: 'r1', owner: 'me@laptop', pid: 42, startedAt: '2026-01-01T00:00:00Z', command: 'apply' });
    expect(facts.inflight).to.equal(null);
    expect(facts.managedFiles!['/etc/containerd/certs.d/docker.io/hosts.toml']).to.deep.equal({ exists: true, sha256: sha('c') });
    expect(facts.managedFiles!['/etc/crictl.yaml']).to.deep.equal({ exists: false, sha256: '' });
    expect(Object.keys(facts.managedFiles!)).to.deep.equal([...Object.keys(facts.managedFiles!)].sort());
    expect(extras).to.deep.include({ apiserverHealthy: true, etcdHealthy: true });
  });

  it("records systemd-resolved's resolv.conf only where the script found it", () => {
    expect(parseHostOutput(host, { ...PROVISIONED_CP, systemdResolved: 'yes' }).facts.systemdResolved).to.equal(true);
    expect(parseHostOutput(host, { ...PROVISIONED_CP, systemdResolved: '' }).facts).not.to.have.property('systemdResolved');
    expect(parseHostOutput(host, PROVISIONED_CP).facts).not.to.have.property('systemdResolved');
  });

  it('builds the facts of a fresh host with nothing installed', () => {
    const fresh: RawHostOutput = { hostname: 'w1', osId: 'debian', osVersionId: '12', kernel: '6.1', arch: 'x86_64', cpus: '1', memTotalKiB: '1024', units: 'Id=containerd.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\n\nId=kubelet.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead', files: {}, staticPods: {}, certs: {} };
    const { facts, extras } = parseHostOutput({ ...host, role: 'staticWorker' }, fresh);
    expect(facts.containerd?.version).to.equal('');
    expect(facts.containerd?.unit.installed).to.equal(false);
    expect(facts.kubelet?.kubeconfig).to.equal(false);
    expect(facts.binaries).to.deep.equal({ origin: 'none', version: '' });
    expect(facts.certsEarliestExpiry).to.equal('');
    expect(facts.lock).to.equal(null);
    expect(extras).to.deep.equal({ apiserverHealthy: false, etcdMembers: null, etcdHealthy: null });
  });

  it('reports a package install from dpkg when no record exists', () => {
    const { facts } = parseHostOutput(host, { ...PROVISIONED_CP, binariesRecord: '', dpkgKubelet: 'install ok installed 1.35.1-1.1' });
    expect(facts.binaries).to.deep.equal({ origin: 'package', version: '1.35.1' });
  });
});

import { expect } from 'chai';
import { canonicalJson } from './canonical-json.js';
import { applyDefaults } from './defaults.js';
import { resolveHosts } from './hosts.js';
import { manifestHash } from './manifest-hash.js';
import { redactCluster } from './redact.js';
import { baseCluster } from './testing/base-cluster.js';

describe('resolveHosts', () => {
  it('lists control plane first, then static workers, with ids and names', () => {
    const c = baseCluster();
    c.staticWorkers!.hosts![0]!.hostname = 'worker-1';
    const hosts = resolveHosts(applyDefaults(c));
    expect(hosts.map((h) => [h.id, h.role, h.name])).to.deep.equal([[0, 'controlPlane', '192.0.2.10'], [1, 'staticWorker', 'worker-1']]);
  });
  it('appends :sshPort when hosts share an address (NAT port-forwarding)', () => {
    const c = baseCluster();
    c.controlPlane!.hosts = [{ publicAddress: '127.0.0.1', sshPort: 2201, privateAddress: '172.20.0.2' }];
    c.staticWorkers!.hosts = [{ publicAddress: '127.0.0.1', sshPort: 2202, privateAddress: '172.20.0.3' }];
    expect(resolveHosts(applyDefaults(c)).map((h) => h.name)).to.deep.equal(['127.0.0.1:2201', '127.0.0.1:2202']);
  });
});

describe('canonicalJson and manifestHash', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: 0 }], c: null } })).to.equal('{"a":{"c":null,"d":[2,{"x":0,"z":1}]},"b":1}');
  });
  it('gives equal hashes for equal manifests regardless of key order, different for different ones', () => {
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverseKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v;
    const a = baseCluster();
    const reordered = reverseKeys(a) as typeof a;
    expect(JSON.stringify(reordered)).to.not.equal(JSON.stringify(a));
    expect(manifestHash(reordered)).to.equal(manifestHash(a));
    expect(manifestHash(a)).to.match(/^[0-9a-f]{64}$/);
    expect(manifestHash({ ...a, name: 'other' })).to.not.equal(manifestHash(a));
  });
});

describe('redactCluster', () => {
  it('masks registry and helm credentials, secret addon params and secret lines in config blobs', () => {
    const c = baseCluster();
    c.containerRuntime = { containerd: { registries: { 'r.io': { auth: { username: 'u', password: 'pw1', auth: 'dXNlcjpwdw==', identityToken: 'tok' } } } } };
    c.helmReleases = [{ chart: 'x', namespace: 'n', auth: { username: 'u', password: 'pw2' } }];
    c.addons = { addons: [{ name: 'backups-restic', params: { resticPassword: 'pw3', s3Bucket: 'b' } }] };
    c.cloudProvider = { none: {}, csiConfig: '[Global]\nuser = "admin"\npassword = "pw4"\n' };
    c.features = { encryptionProviders: { enable: true, customEncryptionConfiguration: 'keys:\n- name: k\n  secret: c2VjcmV0\n' } };
    c.controlPlane!.hosts![0]!.sshPrivateKeyFile = '/home/me/.ssh/id_rsa';
    c.cloudProvider.cloudConfig = '{"tenantId":"t","aadClientSecret":"pw5"}';
    const text = JSON.stringify(redactCluster(c));
    for (const secret of ['pw1', 'dXNlcjpwdw==', 'tok', 'pw2', 'pw3', 'pw4', 'pw5', 'c2VjcmV0']) expect(text).to.not.include(secret);
    expect(text).to.include('/home/me/.ssh/id_rsa');
    expect(text).to.include('s3Bucket');
    expect(text).to.include('admin');
  });
});

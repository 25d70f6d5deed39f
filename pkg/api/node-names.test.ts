import { expect } from 'chai';
import { ConfigError } from './errors.js';
import { detectedHostname, needsFqdn, nodeNameFor, withNodeNames } from './node-names.js';
import type { LoadedCluster, ResolvedHost } from './types.js';

const host = (id: number, name: string, config: ResolvedHost['config'], role: ResolvedHost['role'] = 'staticWorker'): ResolvedHost => ({ id, role, name, config });

function loadedWith(hosts: ResolvedHost[]): LoadedCluster {
  const cluster = {
    apiVersion: 'kubeone.k8c.io/v1beta2',
    kind: 'KubeOneCluster',
    name: 'n',
    controlPlane: { hosts: hosts.filter((h) => h.role === 'controlPlane').map((h) => h.config) },
    staticWorkers: { hosts: hosts.filter((h) => h.role === 'staticWorker').map((h) => h.config) },
  };
  return { manifestPath: '/m', baseDir: '/', cluster, hosts, credentials: {}, warnings: [] };
}

describe('node names (KubeOne: hostname from the manifest, else detected over SSH)', () => {
  it('detects like KubeOne: `hostname -f`, `hostname` when that says localhost, `hostname` on Azure; lower-cased', () => {
    const none = { cloudProvider: { none: {} } };
    expect(detectedHostname({ hostname: 'Node-1', fqdn: 'Node-1.Example.Internal' }, none)).to.equal('node-1.example.internal');
    expect(detectedHostname({ hostname: 'node-1', fqdn: 'localhost' }, none)).to.equal('node-1');
    expect(detectedHostname({ hostname: 'node-1', fqdn: '' }, none)).to.equal('node-1');
    expect(detectedHostname({ hostname: 'VM-7', fqdn: 'vm-7.internal.cloudapp.net' }, { cloudProvider: { azure: {} } })).to.equal('vm-7');
  });

  it('the manifest hostname wins over the detected one; unknown when neither is there', () => {
    const h = host(0, '10.0.0.1', { publicAddress: '10.0.0.1', hostname: 'Worker-A' });
    expect(nodeNameFor(h, { hostname: 'machine', fqdn: 'machine.lan' }, {})).to.equal('worker-a');
    expect(nodeNameFor(host(0, 'x', { publicAddress: 'x' }), undefined, {})).to.equal('');
  });

  it('asks for `hostname -f` only where the Node name can come from it: no manifest hostname, not Azure', () => {
    const none = { cloudProvider: { none: {} } };
    expect(needsFqdn(host(0, 'x', { publicAddress: 'x' }), none)).to.equal(true);
    expect(needsFqdn(host(0, 'x', { publicAddress: 'x', hostname: 'worker-a' }), none)).to.equal(false);
    expect(needsFqdn(host(0, 'x', { publicAddress: 'x' }), { cloudProvider: { azure: {} } })).to.equal(false);
  });

  it('fills config.hostname from the detected names without touching the manifest (same manifest hash)', () => {
    const a = host(0, '127.0.0.1:2201', { publicAddress: '127.0.0.1', sshPort: 2201 }, 'controlPlane');
    const b = host(1, '127.0.0.1:2202', { publicAddress: '127.0.0.1', sshPort: 2202 });
    const loaded = loadedWith([a, b]);
    const before = JSON.stringify(loaded.cluster);
    const named = withNodeNames(loaded, { '127.0.0.1:2201': 'cp-1.lan', '127.0.0.1:2202': 'worker-1.lan' });
    // Two hosts behind one publicAddress: each is named after its own machine.
    expect(named.hosts.map((h) => [h.name, h.config.hostname])).to.deep.equal([['127.0.0.1:2201', 'cp-1.lan'], ['127.0.0.1:2202', 'worker-1.lan']]);
    expect(JSON.stringify(named.cluster)).to.equal(before);
    expect(loaded.hosts[0]!.config.hostname).to.equal(undefined);
    // Not probed yet: left alone.
    expect(withNodeNames(loaded, {}).hosts.map((h) => h.config.hostname)).to.deep.equal([undefined, undefined]);
  });

  it('refuses two machines that would register the same Node, naming both (exit 15)', () => {
    const loaded = loadedWith([
      host(0, '127.0.0.1:2201', { publicAddress: '127.0.0.1', sshPort: 2201 }, 'controlPlane'),
      host(1, '127.0.0.1:2202', { publicAddress: '127.0.0.1', sshPort: 2202 }),
      host(2, 'db', { publicAddress: '10.0.0.9', hostname: 'DEBIAN' }),
    ]);
    let error: unknown;
    try {
      withNodeNames(loaded, { '127.0.0.1:2201': 'debian', '127.0.0.1:2202': 'debian' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.path)).to.deep.equal(['staticWorkers.hosts[0].hostname', 'staticWorkers.hosts[1].hostname']);
    expect(issues[0]!.message).to.match(/"debian" \(detected on the machine\) is also the node name of 127\.0\.0\.1:2201/);
    expect(issues[1]!.message).to.match(/"debian" \(set in the manifest\)/);
    expect((error as ConfigError).exitCode).to.equal(15);
  });
});

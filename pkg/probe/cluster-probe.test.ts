// The cluster half of the probe against a small fake apiserver (HTTPS with the cluster PKI,
// client-certificate auth), reached through fake transports that dial it directly.
import https from 'node:https';
import net from 'node:net';

import { expect } from 'chai';

import type { ResolvedHost } from '../api/types.js';
import { listAddonObjects } from '../addons/apply.js';
import { emptyRecord, serializeRecord } from '../ownership/record.js';
import { TestPki } from '../kube/testing/test-pki.js';
import { buildSnapshot, validateSnapshot } from '../snapshot/snapshot.js';
import type { HostTransport } from '../ssh/types.js';
import { parseHostOutput } from './host-facts.js';
import type { HostProbeResult } from './host-probe.js';
import { probeCluster } from './cluster-probe.js';
import { PROVISIONED_CP } from './testing/fixtures.js';

const SECRET_VALUE = Buffer.from('super-secret-password').toString('base64');
const json = (res: import('node:http').ServerResponse, body: unknown) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
};

/** The ownership record the fake apiserver serves (null: no ConfigMap). */
let ownershipText: string | null = null;

function routes(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
  const url = new URL(req.url ?? '/', 'https://x');
  const p = url.pathname;
  if (p === '/healthz') return void res.end('ok');
  if (p === '/api/v1/nodes') {
    return json(res, {
      kind: 'NodeList', apiVersion: 'v1', metadata: {},
      items: [
        { metadata: { name: 'cp-1', labels: { b: '2', a: '1' }, annotations: {} }, spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }, status: { nodeInfo: { kubeletVersion: 'v1.35.1', containerRuntimeVersion: 'containerd://1.7.27' }, conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '10.5.0.11' }] } },
        { metadata: { name: 'ghost' }, spec: { unschedulable: true }, status: { nodeInfo: { kubeletVersion: 'v1.34.3' }, conditions: [{ type: 'Ready', status: 'False' }], addresses: [{ type: 'InternalIP', address: '10.5.0.99' }] } },
      ],
    });
  }
  if (p === '/api/v1/namespaces/kube-system/pods') {
    expect(url.searchParams.get('labelSelector')).to.equal('tier=control-plane');
    return json(res, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [
      { metadata: { name: 'kube-apiserver-cp-1', labels: { component: 'kube-apiserver', tier: 'control-plane' } }, spec: { nodeName: 'cp-1', containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.35.1' }] }, status: { containerStatuses: [{ name: 'kube-apiserver', state: { running: { startedAt: '2026-11-25T10:00:05Z' } } }] } },
    ] });
  }
  if (p === '/api/v1/namespaces/kube-system/configmaps/kubeadm-config') {
    return json(res, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'kubeadm-config' }, data: { ClusterConfiguration: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.35.1\n' } });
  }
  if (p === '/api/v1/namespaces/kube-system/configmaps/kubeone-encryption') {
    return json(res, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'kubeone-encryption' }, data: { config: 'a'.repeat(64), secrets: 'aescbc:kubeone-abc123', bogus: 'x' } });
  }
  if (p === '/api/v1/namespaces/kube-system') {
    return json(res, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'kube-system', annotations: { 'scheduler.alpha.kubernetes.io/node-selector': '' } } });
  }
  if (p === '/api/v1/namespaces/kube-system/configmaps/kubeone-ownership' && ownershipText !== null) {
    return json(res, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'kubeone-ownership' }, data: { 'record.json': ownershipText } });
  }
  if (p === '/api/v1/services') {
    return json(res, { kind: 'ServiceList', apiVersion: 'v1', metadata: {}, items: [
      { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { type: 'ClusterIP' } },
      { metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer' } },
    ] });
  }
  if (p === '/api/v1/persistentvolumeclaims') return json(res, { kind: 'PersistentVolumeClaimList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'data', namespace: 'shop' }, spec: {} }] });
  if (p === '/api/v1/persistentvolumes') {
    return json(res, { kind: 'PersistentVolumeList', apiVersion: 'v1', metadata: {}, items: [
      { metadata: { name: 'pvc-1', annotations: { 'pv.kubernetes.io/provisioned-by': 'csi.hetzner.cloud' } }, spec: { persistentVolumeReclaimPolicy: 'Delete' } },
      { metadata: { name: 'pvc-kept', annotations: { 'pv.kubernetes.io/provisioned-by': 'csi.hetzner.cloud' } }, spec: { persistentVolumeReclaimPolicy: 'Retain' } },
      { metadata: { name: 'by-hand' }, spec: { persistentVolumeReclaimPolicy: 'Delete' } },
    ] });
  }
  if (p === '/apis') return json(res, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
  if (p === '/api/v1') {
    return json(res, { kind: 'APIResourceList', groupVersion: 'v1', resources: [
      { name: 'configmaps', namespaced: true, kind: 'ConfigMap', verbs: ['list'] },
      { name: 'secrets', namespaced: true, kind: 'Secret', verbs: ['list'] },
    ] });
  }
  if (p === '/api/v1/configmaps' || p === '/api/v1/secrets') {
    expect(url.searchParams.get('labelSelector')).to.equal('kubeone.io/addon');
    const kind = p.endsWith('secrets') ? 'Secret' : 'ConfigMap';
    const item = {
      metadata: { name: `cni-${kind.toLowerCase()}`, namespace: 'kube-system', labels: { 'kubeone.io/addon': 'cni' }, uid: 'u-1', resourceVersion: String(Math.random()), managedFields: [{}], creationTimestamp: '2026-01-01T00:00:00Z' },
      data: kind === 'Secret' ? { password: SECRET_VALUE } : { a: 'b' },
    };
    return json(res, { kind: `${kind}List`, apiVersion: 'v1', metadata: {}, items: [item] });
  }
  res.statusCode = 404;
  json(res, { kind: 'Status', code: 404, message: 'not found' });
}

describe('pkg/probe cluster probe (fake apiserver)', function () {
  this.timeout(20_000);
  let pki: TestPki;
  let server: https.Server;
  let port: number;

  before(async () => {
    pki = new TestPki();
    server = https.createServer({ key: pki.file('server.key'), cert: pki.file('server.crt'), ca: pki.file('ca.crt'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      try {
        routes(req, res);
      } catch (error) {
        res.statusCode = 500;
        res.end(String(error));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as net.AddressInfo).port;
  });
  after(() => {
    server?.close();
    pki?.destroy();
  });

  const transport = (name: string): HostTransport => ({
    host: name,
    exec: () => Promise.reject(new Error('unused')),
    writeFile: () => Promise.reject(new Error('unused')),
    upload: () => Promise.reject(new Error('unused')),
    readFile: async (p) => {
      expect(p).to.equal('/etc/kubernetes/admin.conf');
      return Buffer.from(pki.adminConf());
    },
    forwardOut: (_host, p) => new Promise((resolve, reject) => {
      const s = net.connect(p, '127.0.0.1', () => resolve(s));
      s.on('error', reject);
    }),
    close: async () => undefined,
  });

  function hosts(): HostProbeResult[] {
    const cp1: ResolvedHost = { id: 0, role: 'controlPlane', name: 'cp-1', config: { publicAddress: '127.0.0.1', privateAddress: '127.0.0.1', hostname: 'cp-1' } };
    const cp2: ResolvedHost = { id: 1, role: 'controlPlane', name: 'cp-2', config: { publicAddress: '127.0.0.2', privateAddress: '10.5.0.12', hostname: 'cp-2' } };
    const a = parseHostOutput(cp1, { ...PROVISIONED_CP, etcdMembers: '{"members":[{"ID":"1","name":"cp-1","peerURLs":["https://10.5.0.11:2380"]},{"ID":"2","name":"old-cp","peerURLs":["https://10.5.0.13:2380"]}]}' });
    const b = parseHostOutput(cp2, { ...PROVISIONED_CP, hostname: 'cp-2', healthz: '', etcdHealth: '{"health":"false"}' });
    return [{ host: cp2, ...b }, { host: cp1, ...a }];
  }

  it('elects the first healthy control plane and reads nodes, components, kubeadm-config and addon objects', async () => {
    const dialled: string[] = [];
    const pool = { get: async (h: ResolvedHost) => (dialled.push(h.name), transport(h.name)) };
    const kube = await probeCluster({ hosts: hosts(), pool, apiserverPort: port, logger: { debug() {}, info() {}, warn() {} }, listAddonObjects: (kc) => listAddonObjects(kc, []) });
    expect(kube.error).to.equal(undefined);
    expect(kube.leader).to.equal('cp-1');
    expect(dialled).to.deep.equal(['cp-1']); // cp-2's apiserver did not answer /healthz locally
    expect(kube.apiserverHealthy).to.deep.equal({ 'cp-2': false, 'cp-1': true });
    expect(kube.nodes.map((n) => [n.name, n.host, n.ready, n.kubeletVersion, n.unschedulable])).to.deep.equal([
      ['cp-1', 'cp-1', true, '1.35.1', false],
      ['ghost', null, false, '1.34.3', true],
    ]);
    expect(Object.keys(kube.nodes[0]!.labels)).to.deep.equal(['a', 'b']);
    expect(kube.nodes[0]!.taints).to.deep.equal([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(kube.components).to.deep.equal({ 'kube-apiserver': { 'cp-1': '1.35.1' } });
    // What restarts and encryption decisions need: when the running apiserver started, the rewrite record, the kube-system node selector.
    expect(kube.started).to.deep.equal({ 'kube-apiserver': { 'cp-1': '2026-11-25T10:00:05.000Z' } });
    expect(kube.encryptionRewrite).to.deep.equal({ config: 'a'.repeat(64), primaries: { secrets: 'aescbc:kubeone-abc123' } });
    expect(kube.kubeSystemNodeSelector).to.equal('');
    expect(kube.clusterConfiguration).to.deep.include({ kind: 'ClusterConfiguration', kubernetesVersion: 'v1.35.1' });
    expect(kube.ownership).to.equal(null);
    expect(kube).to.not.have.property('ownershipError');
    expect(kube.cloudResources).to.deep.equal({ loadBalancerServices: ['shop/web'], volumeClaims: ['shop/data'], dynamicVolumes: ['pvc-1'] });
    expect(kube.etcdMembers.map((m) => [m.id, m.name, m.host, m.healthy])).to.deep.equal([['1', 'cp-1', 'cp-1', true], ['2', 'old-cp', null, null]]);
    expect(kube.addonObjects.map((o) => [o.addon, o.kind, o.name])).to.deep.equal([['cni', 'ConfigMap', 'cni-configmap'], ['cni', 'Secret', 'cni-secret']]);
    const secret = kube.addonObjects[1]!;
    expect(secret.object).to.not.have.property('data');
    expect(JSON.stringify(kube)).to.not.contain(SECRET_VALUE);
    expect((secret.object!.metadata as Record<string, unknown>).resourceVersion).to.equal(undefined);

    // server-set fields (resourceVersion changes every list here) do not move the hashes
    const again = await probeCluster({ hosts: hosts(), pool, apiserverPort: port, logger: { debug() {}, info() {}, warn() {} }, listAddonObjects: (kc) => listAddonObjects(kc, []) });
    expect(again.addonObjects.map((o) => o.hash)).to.deep.equal(kube.addonObjects.map((o) => o.hash));
    const snapshot = buildSnapshot({ cluster: 'c', hosts: hosts().map((h) => h.facts), kube }, { tool: 't', probedAt: '2026-01-01T00:00:00Z', durationMs: 1 });
    expect(validateSnapshot(snapshot)).to.deep.equal({ valid: true, errors: [] });
  });

  it('reads the ownership record; one that is not valid reads as none, with the reason', async () => {
    const pool = { get: async (h: ResolvedHost) => transport(h.name) };
    const probeOnce = () => probeCluster({ hosts: hosts(), pool, apiserverPort: port, logger: { debug() {}, info() {}, warn() {} }, listAddonObjects: (kc) => listAddonObjects(kc, []) });
    const record = { ...emptyRecord(), addons: { cni: ['/ConfigMap/kube-system/cni-configmap'] } };
    try {
      ownershipText = serializeRecord(record);
      expect(await probeOnce()).to.deep.include({ ownership: record });
      ownershipText = '{"formatVersion": "kubeone.ownership/v1", "addons": 7}';
      const bad = await probeOnce();
      expect(bad.ownership).to.equal(null);
      expect(bad.ownershipError).to.match(/^ConfigMap kube-system\/kubeone-ownership: \/: must have required property/);
      expect(bad.error).to.equal(undefined);
    } finally {
      ownershipText = null;
    }
  });

  it('records the error when no apiserver answers through the tunnel', async () => {
    const pool = { get: async (h: ResolvedHost) => ({ ...transport(h.name), forwardOut: () => Promise.reject(new Error('channel open failure')) }) };
    const kube = await probeCluster({ hosts: hosts(), pool, apiserverPort: port, logger: { debug() {}, info() {}, warn() {} }, listAddonObjects: (kc) => listAddonObjects(kc, []) });
    expect(kube.leader).to.equal(null);
    expect(kube.error).to.contain('cp-1').and.contain('channel open failure');
    expect(kube.nodes).to.deep.equal([]);
  });
});

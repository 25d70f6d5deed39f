// State lives in etcd: it survives apiserver restarts, one of three members may fail,
// and losing quorum makes requests fail (and recover when members return).
import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import * as fs from 'node:fs';
import { EtcdClient } from './etcd/etcd-client.js';
import { startApiServer } from './server.js';
import { freePort } from './testing/etcd-process.js';
import { LocalCluster } from './testing/local-cluster.js';

function core(cluster: LocalCluster): k8s.CoreV1Api {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  return kc.makeApiClient(k8s.CoreV1Api);
}

/** Retry fn until it succeeds (etcd may be electing a leader) or the deadline passes. */
async function eventually<T>(fn: () => Promise<T>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('kubesim apiserver storage in etcd', function () {
  this.timeout(30000);

  it('keeps objects across an apiserver restart', async () => {
    const cluster = await LocalCluster.start();
    try {
      const created = await core(cluster).createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'keep' }, data: { a: '1' } } });
      // Stored where the real apiserver keeps it, as JSON without the resourceVersion.
      const etcd = new EtcdClient(cluster.etcd.clientOptions());
      const { kv } = await etcd.get('/registry/configmaps/default/keep');
      etcd.close();
      expect(JSON.parse(kv!.value)).to.deep.include({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
      expect(String(kv!.modRevision)).to.equal(created.metadata?.resourceVersion);
      await cluster.restartApiServer();
      const read = await core(cluster).readNamespacedConfigMap({ name: 'keep', namespace: 'default' });
      expect(read.metadata?.uid).to.equal(created.metadata?.uid);
      expect(read.metadata?.resourceVersion).to.equal(created.metadata?.resourceVersion);
      expect(read.data).to.deep.equal({ a: '1' });
      // Start-up objects are not duplicated or rewritten.
      const svc = await core(cluster).readNamespacedService({ name: 'kubernetes', namespace: 'default' });
      expect(svc.spec?.clusterIP).to.equal('10.96.0.1');
    } finally {
      await cluster.stop();
    }
  });

  it('shares state between two apiservers (HA control plane)', async () => {
    const cluster = await LocalCluster.start();
    const port = await freePort();
    const second = await startApiServer({ ...cluster.apiServerOptions(), port, advertiseAddress: '127.0.0.2' });
    try {
      const kc2 = new k8s.KubeConfig();
      kc2.loadFromString(fs.readFileSync(cluster.kubeconfigPath, 'utf8').replace(cluster.url, `https://127.0.0.1:${port}`));
      const ext = new k8s.KubeConfig();
      ext.loadFromFile(cluster.kubeconfigPath);
      // A CRD created through the first server is served by the second one.
      await ext.makeApiClient(k8s.ApiextensionsV1Api).createCustomResourceDefinition({
        body: {
          metadata: { name: 'gadgets.example.com' },
          spec: { group: 'example.com', scope: 'Cluster', names: { kind: 'Gadget', plural: 'gadgets' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
        },
      });
      const custom = kc2.makeApiClient(k8s.CustomObjectsApi);
      await eventually(() => custom.createClusterCustomObject({ group: 'example.com', version: 'v1', plural: 'gadgets', body: { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' } } }), 5000);
      // Both servers are endpoints of the kubernetes Service.
      await eventually(async () => {
        const ep = await core(cluster).readNamespacedEndpoints({ name: 'kubernetes', namespace: 'default' });
        expect(ep.subsets?.[0]?.addresses?.map((a) => a.ip)).to.have.members(['127.0.0.1', '127.0.0.2']);
      }, 5000);
    } finally {
      await second.close();
      await cluster.stop();
    }
  });

  describe('with a 3-member etcd [slow]', function () {
    this.slow(15000);
    let cluster: LocalCluster;

    before(async () => {
      cluster = await LocalCluster.start({ etcdMembers: 3, etcdRequestTimeoutMs: 1500 });
    });
    after(async () => {
      await cluster?.stop();
    });

    it('serves with one member down, fails without quorum, recovers when members return', async () => {
      const api = core(cluster);
      await api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'before' } } });

      await cluster.etcd.stopMember(0);
      await eventually(() => api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'one-down' } } }));
      const names = (await api.listNamespacedConfigMap({ namespace: 'default' })).items.map((c) => c.metadata?.name);
      expect(names).to.include.members(['before', 'one-down']);

      await cluster.etcd.stopMember(1);
      let failure: k8s.ApiException<string> | undefined;
      try {
        await api.readNamespacedConfigMap({ name: 'before', namespace: 'default' });
      } catch (err) {
        failure = err as k8s.ApiException<string>;
      }
      expect(failure, 'a read without quorum must fail').to.not.equal(undefined);
      expect(failure!.code).to.be.oneOf([500, 503]);
      expect(JSON.parse(failure!.body).kind).to.equal('Status');

      cluster.etcd.startMember(0);
      cluster.etcd.startMember(1);
      const read = await eventually(() => api.readNamespacedConfigMap({ name: 'one-down', namespace: 'default' }), 15000);
      expect(read.metadata?.name).to.equal('one-down');
    });
  });
});

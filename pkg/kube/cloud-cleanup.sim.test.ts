// reset's removal of LoadBalancer Services and volumes against the simulated kube-apiserver
// (real etcd on loopback): the probe's view, the webhooks refusing new objects, the deletions,
// and the wait. The test plays the cloud's part: nothing here releases a load balancer or a
// disk, so when the wait polls, it deletes the dynamically provisioned volume as the CSI
// driver would once its claim is gone.
import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import { LocalCluster } from '../../e2e/kubesim/apiserver/testing/local-cluster.js';
import { readCloudResources } from '../probe/cloud-resources.js';
import { removeLoadBalancerServices, removeVolumes } from './cloud-cleanup.js';

describe('reset cleanup on the simulated apiserver', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;

  before(async () => {
    cluster = await LocalCluster.start();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    core = kc.makeApiClient(k8s.CoreV1Api);
    for (const name of ['kube-system', 'shop']) await core.createNamespace({ body: { metadata: { name } } }).catch(() => undefined);
    const port = [{ port: 80 }];
    await core.createNamespacedService({ namespace: 'shop', body: { metadata: { name: 'web' }, spec: { type: 'LoadBalancer', ports: port, selector: { app: 'web' } } } });
    await core.createNamespacedService({ namespace: 'shop', body: { metadata: { name: 'internal' }, spec: { ports: port, selector: { app: 'web' } } } });
    await core.createNamespacedPersistentVolumeClaim({ namespace: 'shop', body: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: 'pvc-data' } } });
    const pv = (name: string, policy: string, provisioned: boolean): k8s.V1PersistentVolume => ({
      metadata: { name, ...(provisioned ? { annotations: { 'pv.kubernetes.io/provisioned-by': 'cinder.csi.openstack.org' } } : {}) },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: policy, csi: { driver: 'cinder.csi.openstack.org', volumeHandle: name } },
    });
    await core.createPersistentVolume({ body: pv('pvc-data', 'Delete', true) });
    await core.createPersistentVolume({ body: pv('pvc-kept', 'Retain', true) });
    await core.createPersistentVolume({ body: pv('by-hand', 'Delete', false) });
    await core.createNamespacedPod({
      namespace: 'shop',
      body: { metadata: { name: 'db' }, spec: { containers: [{ name: 'db', image: 'postgres:17' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } },
    });
  });
  after(async () => {
    await cluster?.stop();
  });

  it('the probe sees the LoadBalancer Service, the claim and the one dynamically provisioned, unretained volume', async () => {
    expect(await readCloudResources(core)).to.deep.equal({ loadBalancerServices: ['shop/web'], volumeClaims: ['shop/data'], dynamicVolumes: ['pvc-data'] });
  });

  it('removes the LoadBalancer Service (not the ClusterIP one) behind a webhook refusing new Services', async () => {
    const clock = { now: () => new Date(), sleep: async () => undefined };
    await removeLoadBalancerServices(kc, { clock });
    const services = (await core.listNamespacedService({ namespace: 'shop' })).items.map((s) => s.metadata!.name);
    expect(services).to.deep.equal(['internal']);
    const webhook = await kc.makeApiClient(k8s.AdmissionregistrationV1Api).readValidatingWebhookConfiguration({ name: 'kubernetes-cluster-cleanup-services' });
    expect(webhook.webhooks![0]).to.deep.include({ failurePolicy: 'Fail', clientConfig: { url: 'https://127.0.0.1:1' } });
    expect(webhook.webhooks![0]!.rules![0]).to.deep.include({ operations: ['CREATE'], apiGroups: [''], apiVersions: ['*'], resources: ['services'] });
    // Run again (a resumed reset): nothing left, nothing fails.
    await removeLoadBalancerServices(kc, { clock });
  });

  it('removes the Pod mounting the claim and the claim, and waits until the provisioned volume is gone; retained and hand-made volumes stay', async () => {
    let polls = 0;
    const clock = {
      now: () => new Date(),
      // The CSI driver's part: once the claim is gone, the volume it provisioned is deleted.
      sleep: async () => {
        polls++;
        if ((await core.listPersistentVolumeClaimForAllNamespaces()).items.length === 0) await core.deletePersistentVolume({ name: 'pvc-data' }).catch(() => undefined);
      },
    };
    await removeVolumes(kc, { clock });
    expect(polls).to.be.greaterThan(0);
    expect((await core.listNamespacedPod({ namespace: 'shop' })).items).to.deep.equal([]);
    expect((await core.listPersistentVolumeClaimForAllNamespaces()).items).to.deep.equal([]);
    expect((await core.listPersistentVolume()).items.map((v) => v.metadata!.name).sort()).to.deep.equal(['by-hand', 'pvc-kept']);
    const names = (await kc.makeApiClient(k8s.AdmissionregistrationV1Api).listValidatingWebhookConfiguration()).items.map((w) => w.metadata!.name);
    expect(names).to.include.members(['kubernetes-cluster-cleanup-persistentvolumes-persistentvolumeclaims', 'kubernetes-cluster-cleanup-pods']);
  });

  it('gives up after the timeout, naming what is left', async () => {
    await core.createNamespacedPersistentVolumeClaim({ namespace: 'shop', body: { metadata: { name: 'stuck', finalizers: ['example.com/hold'] }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } });
    let t = 0;
    const clock = { now: () => new Date(t), sleep: async () => void (t += 60_000) };
    const error = await removeVolumes(kc, { clock, timeoutMs: 120_000 }).then(() => null, (e: Error) => e);
    expect(error?.message).to.match(/still there after 120s: PersistentVolumeClaim shop\/stuck/);
  });
});

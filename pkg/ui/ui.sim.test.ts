// The dashboard against the simulated kube-apiserver (real etcd on loopback): the UI server
// on port 0 with the API backend, a control plane and a worker Node, pods on the worker, and
// the machine-controller's CRDs with a MachineDeployment -> MachineSet -> Machine chain.
import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import { request } from 'node:http';
import { LocalCluster } from '../../e2e/kubesim/apiserver/testing/local-cluster.js';
import { MACHINE_GROUP, MACHINE_VERSION } from '../machines/machine-deployments.js';
import { FORCED_RESTART_LABEL, kubeBackend } from './kube-backend.js';
import { startUiServer, type UiServer } from './server.js';

interface Answer {
  status: number;
  location?: string;
  body: string;
}

function call(server: UiServer, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function crd(kind: string, plural: string): k8s.V1CustomResourceDefinition {
  return {
    // k8s.io groups need the approval annotation; the machine-controller's CRDs carry this one.
    metadata: { name: `${plural}.${MACHINE_GROUP}`, annotations: { 'api-approved.kubernetes.io': 'unapproved, legacy API' } },
    spec: {
      group: MACHINE_GROUP,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{ name: MACHINE_VERSION, served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } }],
    },
  };
}

describe('kubeone ui on the simulated apiserver', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let custom: k8s.CustomObjectsApi;
  let server: UiServer;
  let token: string;
  const ns = 'kube-system';
  const machines = (plural: string) => ({ group: MACHINE_GROUP, version: MACHINE_VERSION, namespace: ns, plural });

  before(async () => {
    cluster = await LocalCluster.start();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    core = kc.makeApiClient(k8s.CoreV1Api);
    custom = kc.makeApiClient(k8s.CustomObjectsApi);
    for (const name of ['kube-system', 'shop']) await core.createNamespace({ body: { metadata: { name } } }).catch(() => undefined);
    const ready = [{ type: 'Ready', status: 'True', lastHeartbeatTime: new Date(), lastTransitionTime: new Date(), reason: 'KubeletReady', message: 'ready' }];
    for (const [name, labels] of [['cp-1', { 'node-role.kubernetes.io/control-plane': '' }], ['w-1', {}]] as const) {
      const node = await core.createNode({ body: { metadata: { name, labels } } });
      await core.replaceNodeStatus({ name, body: { ...node, status: { conditions: ready, nodeInfo: { kubeletVersion: 'v1.35.1' } as k8s.V1NodeSystemInfo } } });
    }
    for (const name of ['web', 'db']) {
      await core.createNamespacedPod({ namespace: 'shop', body: { metadata: { name }, spec: { nodeName: 'w-1', containers: [{ name, image: 'registry.example/app:1' }] } } });
    }
    await core.createNamespacedPod({ namespace: 'shop', body: { metadata: { name: 'elsewhere' }, spec: { nodeName: 'cp-1', containers: [{ name: 'x', image: 'registry.example/app:1' }] } } });

    const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
    for (const [kind, plural] of [['MachineDeployment', 'machinedeployments'], ['MachineSet', 'machinesets'], ['Machine', 'machines']]) await ext.createCustomResourceDefinition({ body: crd(kind!, plural!) });
    const apiVersion = `${MACHINE_GROUP}/${MACHINE_VERSION}`;
    // The CRDs are served once established: retry the first create briefly.
    let md: { metadata: { uid: string } } | undefined;
    for (let i = 0; i < 50 && !md; i++) {
      md = (await custom
        .createNamespacedCustomObject({ ...machines('machinedeployments'), body: { apiVersion, kind: 'MachineDeployment', metadata: { name: 'pool' }, spec: { replicas: 1, template: { spec: { versions: { kubelet: '1.35.1' } } } } } })
        .catch(async () => {
          await new Promise((r) => setTimeout(r, 100));
          return undefined;
        })) as typeof md;
    }
    const owner = (kind: string, name: string, uid: string) => [{ apiVersion, kind, name, uid, controller: true }];
    const ms = (await custom.createNamespacedCustomObject({
      ...machines('machinesets'),
      body: { apiVersion, kind: 'MachineSet', metadata: { name: 'pool-abc', ownerReferences: owner('MachineDeployment', 'pool', md!.metadata.uid) }, spec: { replicas: 1 } },
    })) as { metadata: { uid: string } };
    await custom.createNamespacedCustomObject({
      ...machines('machines'),
      body: { apiVersion, kind: 'Machine', metadata: { name: 'pool-abc-x1', ownerReferences: owner('MachineSet', 'pool-abc', ms.metadata.uid) }, spec: { versions: { kubelet: '1.35.1' } }, status: { nodeRef: { name: 'w-1' } } },
    });

    const backend = kubeBackend({ kubeConfig: kc, health: async () => [{ names: ['cp-1'], addresses: [], apiserver: true, etcd: false }] });
    server = await startUiServer({ host: '127.0.0.1', port: 0, token: 'unused', clusterName: 'sim', backend });
    token = new URL(server.url).searchParams.get('token')!;
  });
  after(async () => {
    await server?.close();
    await cluster?.stop();
  });

  const host = () => ({ host: `127.0.0.1:${server.port}` });
  const withCookie = () => ({ ...host(), cookie: `kubeone_ui_${server.port}=${token}` });
  const post = (path: string, fields: Record<string, string>, origin = `http://127.0.0.1:${server.port}`) =>
    call(server, 'POST', path, { ...host(), origin, 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ token, ...fields }).toString());
  const replicas = async () => ((await custom.getNamespacedCustomObject({ ...machines('machinedeployments'), name: 'pool' })) as { spec: { replicas: number } }).spec.replicas;

  it('the overview lists both Nodes, control-plane health, and the MachineDeployment with its Machine', async () => {
    const first = await call(server, 'GET', `/?token=${token}`, host());
    expect(first.status).to.equal(303);
    const page = await call(server, 'GET', '/', withCookie());
    expect(page.status).to.equal(200);
    expect(page.body).to.match(/<td>cp-1<\/td><td class="Ready">Ready<\/td><td>\d+s<\/td><td>v1\.35\.1<\/td><td class="healthy">healthy<\/td><td class="unhealthy">unhealthy<\/td>/);
    expect(page.body).to.include('<td>w-1</td>');
    expect(page.body).to.include('kube-system/pool').and.include('replicas 1').and.include('<td>pool-abc-x1</td><td>w-1</td>');
  });

  it('without the token the page is refused and the API is not read', async () => {
    expect((await call(server, 'GET', '/', host())).status).to.equal(401);
    expect((await call(server, 'GET', '/?token=nope', host())).status).to.equal(401);
  });

  it('the pods of a node: those on it, not the others', async () => {
    const page = await call(server, 'GET', '/pods?node=w-1', withCookie());
    expect(page.status).to.equal(200);
    expect(page.body).to.include('<td>web</td>').and.include('<td>db</td>');
    expect(page.body).not.to.include('elsewhere');
  });

  it('scales the MachineDeployment up and down (never below 0)', async () => {
    const up = await post('/scale', { namespace: ns, name: 'pool', direction: 'up' });
    expect(up).to.include({ status: 303, location: '/' });
    expect(await replicas()).to.equal(2);
    for (let i = 0; i < 3; i++) expect((await post('/scale', { namespace: ns, name: 'pool', direction: 'down' })).status).to.equal(303);
    expect(await replicas()).to.equal(0);
  });

  it('rollout restart stamps the template with forced-restart', async () => {
    expect((await post('/rollout', { namespace: ns, name: 'pool' })).status).to.equal(303);
    const md = (await custom.getNamespacedCustomObject({ ...machines('machinedeployments'), name: 'pool' })) as { spec: { template: { metadata: { labels: Record<string, string> } } } };
    expect(md.spec.template.metadata.labels[FORCED_RESTART_LABEL]).to.match(/^\d{4}-\d\d-\d\dT\d\d\.\d\d\.\d\dZ$/);
  });

  it('a POST from a foreign Origin deletes nothing', async () => {
    expect((await post('/delete-pod', { namespace: 'shop', name: 'web', node: 'w-1' }, 'http://evil.example')).status).to.equal(403);
    expect((await core.readNamespacedPod({ namespace: 'shop', name: 'web' })).metadata?.name).to.equal('web');
  });

  it('deletes a pod and returns to its node; a pod already gone is a 404 page', async () => {
    const del = await post('/delete-pod', { namespace: 'shop', name: 'web', node: 'w-1' });
    expect(del).to.include({ status: 303, location: '/pods?node=w-1' });
    const left = (await core.listNamespacedPod({ namespace: 'shop' })).items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata?.name);
    expect(left).to.not.include('web');
    const again = await post('/delete-pod', { namespace: 'shop', name: 'web', node: 'w-1' });
    expect(again.status).to.equal(404);
    expect(again.body).to.include('deleting Pod shop/web');
  });

  it('deletes a Machine', async () => {
    expect((await post('/delete-machine', { namespace: ns, name: 'pool-abc-x1' })).status).to.equal(303);
    const list = (await custom.listNamespacedCustomObject(machines('machines'))) as { items: { metadata: { name: string; deletionTimestamp?: string } }[] };
    expect(list.items.filter((m) => !m.metadata.deletionTimestamp).map((m) => m.metadata.name)).to.deep.equal([]);
  });

  it('without the machine-controller API (CRDs gone) the overview still lists the Nodes and says so', async () => {
    const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
    for (const plural of ['machinedeployments', 'machinesets', 'machines']) await ext.deleteCustomResourceDefinition({ name: `${plural}.${MACHINE_GROUP}` });
    const page = await call(server, 'GET', '/', withCookie());
    expect(page.status).to.equal(200);
    expect(page.body).to.include('<td>cp-1</td>').and.include('does not serve cluster.k8s.io/v1alpha1');
    expect(page.body).not.to.include('kube-system/pool');
  });
});

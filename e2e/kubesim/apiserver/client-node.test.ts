// @kubernetes/client-node 1.x, unmodified, against the simulated apiserver backed by a
// real local etcd.
import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import * as https from 'node:https';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalCluster } from './testing/local-cluster.js';
import { createCA, createCert } from './testing/pki.js';

function client(kubeconfigPath: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}

async function expectApiError(p: Promise<unknown>, code: number): Promise<Record<string, any>> {
  try {
    await p;
  } catch (err) {
    const e = err as k8s.ApiException<string>;
    expect(e.code, String(e.body)).to.equal(code);
    return typeof e.body === 'string' ? JSON.parse(e.body) : (e.body as Record<string, any>);
  }
  throw new Error(`expected HTTP ${code}, but the request succeeded`);
}

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const strategicPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);

function deployment(image: string, replicas: number, env: Array<{ name: string; value: string }>): k8s.V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image, env }] } },
    },
  };
}

describe('kubesim apiserver with @kubernetes/client-node', function () {
  this.timeout(30000);
  let cluster: LocalCluster;
  let kc: k8s.KubeConfig;

  before(async () => {
    cluster = await LocalCluster.start();
    kc = client(cluster.kubeconfigPath);
  });
  after(async () => {
    await cluster?.stop();
  });

  it('serves the system namespaces, the kubernetes Service and /version', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const names = (await core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(names).to.include.members(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
    const svc = await core.readNamespacedService({ name: 'kubernetes', namespace: 'default' });
    expect(svc.spec?.clusterIP).to.equal('10.96.0.1');
    // ClusterIPs: static requests are checked, dynamic ones come from the upper band,
    // and a failed create gives its IP back.
    const dns = { metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] } };
    expect((await core.createNamespacedService({ namespace: 'kube-system', body: dns })).spec?.clusterIP).to.equal('10.96.0.10');
    await expectApiError(core.createNamespacedService({ namespace: 'kube-system', body: { ...dns, metadata: { name: 'other-dns' } } }), 422);
    const web = await core.createNamespacedService({ namespace: 'default', body: { metadata: { name: 'web' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } } });
    expect(web.spec?.clusterIP).to.equal('10.96.1.0');
    expect(web.spec?.ports?.[0]).to.deep.include({ port: 80, targetPort: 80, protocol: 'TCP', nodePort: 30000 });
    await expectApiError(core.createNamespacedService({ namespace: 'default', body: { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } } }), 409);
    const plain = (name: string) => core.createNamespacedService({ namespace: 'default', body: { metadata: { name }, spec: { ports: [{ port: 80 }] } } });
    expect((await plain('web2')).spec?.clusterIP).to.equal('10.96.1.1');
    await core.deleteNamespacedService({ name: 'web', namespace: 'default' });
    expect((await plain('web3')).spec?.clusterIP).to.equal('10.96.1.0');
    const version = await kc.makeApiClient(k8s.VersionApi).getCode();
    expect(version.gitVersion).to.equal('v1.35.1');
  });

  it('lists nodes and filters them by label and field selectors', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const [name, role] of [['cp-1', 'control-plane'], ['worker-1', 'worker']]) {
      await core.createNode({ body: { metadata: { name, labels: { [`node-role.kubernetes.io/${role}`]: '' } }, spec: {} } });
    }
    expect((await core.listNode()).items.map((n) => n.metadata?.name)).to.deep.equal(['cp-1', 'worker-1']);
    const cps = await core.listNode({ labelSelector: 'node-role.kubernetes.io/control-plane' });
    expect(cps.items.map((n) => n.metadata?.name)).to.deep.equal(['cp-1']);
    await core.patchNode({ name: 'worker-1', body: { spec: { unschedulable: true } } }, strategicPatch);
    const cordoned = await core.listNode({ fieldSelector: 'spec.unschedulable=true' });
    expect(cordoned.items.map((n) => n.metadata?.name)).to.deep.equal(['worker-1']);
    const named = await core.listNode({ fieldSelector: 'metadata.name=cp-1' });
    expect(named.items).to.have.length(1);
  });

  it('server-side-applies, patches and deletes a Deployment with KubernetesObjectApi', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const first = deployment('nginx:1.25', 2, [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    const created = await objects.patch(first, undefined, undefined, 'kubeone', false, k8s.PatchStrategy.ServerSideApply);
    expect(created.metadata?.uid).to.be.a('string');
    expect(created.metadata?.generation).to.equal(1);
    expect(created.metadata?.managedFields?.[0]).to.include({ manager: 'kubeone', operation: 'Apply' });

    // Applying again without env B and with a new image: B is pruned, generation bumps.
    const second = deployment('nginx:1.27', 2, [{ name: 'A', value: '1' }]);
    await objects.patch(second, undefined, undefined, 'kubeone', false, k8s.PatchStrategy.ServerSideApply);
    let live = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    expect(live.spec?.template.spec?.containers[0]?.env).to.deep.equal([{ name: 'A', value: '1' }]);
    expect(live.spec?.template.spec?.containers[0]?.image).to.equal('nginx:1.27');
    expect(live.metadata?.generation).to.equal(2);

    // Another manager changes replicas through a merge patch; re-applying conflicts...
    await apps.patchNamespacedDeployment({ name: 'web', namespace: 'default', body: { spec: { replicas: 4 } }, fieldManager: 'hpa' }, mergePatch);
    const conflict = await expectApiError(objects.patch(second, undefined, undefined, 'kubeone', false, k8s.PatchStrategy.ServerSideApply), 409);
    expect(conflict.reason).to.equal('Conflict');
    expect(conflict.message).to.contain('conflict with "hpa"').and.contain('.spec.replicas');
    // ...unless forced, which takes the field back.
    await objects.patch(second, undefined, undefined, 'kubeone', true, k8s.PatchStrategy.ServerSideApply);
    live = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    expect(live.spec?.replicas).to.equal(2);

    // Strategic merge keeps list items by name; JSON patch edits by path.
    await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1' }] } } } } },
      strategicPatch,
    );
    await apps.patchNamespacedDeployment({ name: 'web', namespace: 'default', body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] });
    live = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    expect(live.spec?.template.spec?.containers.map((c) => c.name)).to.deep.equal(['nginx', 'sidecar']);
    expect(live.spec?.replicas).to.equal(3);

    await objects.delete({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } });
    await expectApiError(apps.readNamespacedDeployment({ name: 'web', namespace: 'default' }), 404);
  });

  it('returns Status errors for missing, duplicate, stale and invalid objects', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const notFound = await expectApiError(core.readNamespacedConfigMap({ name: 'nope', namespace: 'default' }), 404);
    expect(notFound).to.include({ kind: 'Status', reason: 'NotFound', message: 'configmaps "nope" not found' });
    const cm = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cfg' }, data: { a: '1' } } });
    const dup = await expectApiError(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cfg' } } }), 409);
    expect(dup.reason).to.equal('AlreadyExists');

    const updated = await core.replaceNamespacedConfigMap({ name: 'cfg', namespace: 'default', body: { ...cm, data: { a: '2' } } });
    expect(Number(updated.metadata?.resourceVersion)).to.be.greaterThan(Number(cm.metadata?.resourceVersion));
    const stale = await expectApiError(core.replaceNamespacedConfigMap({ name: 'cfg', namespace: 'default', body: { ...cm, data: { a: '3' } } }), 409);
    expect(stale.reason).to.equal('Conflict');
    expect(stale.message).to.contain('the object has been modified');

    const invalid = await expectApiError(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'Not_Valid' } } }), 422);
    expect(invalid.reason).to.equal('Invalid');
    await expectApiError(core.createNamespacedConfigMap({ namespace: 'missing-ns', body: { metadata: { name: 'x' } } }), 404);
    const badKind = await expectApiError(
      core.createNamespacedConfigMap({ namespace: 'default', body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'y' } } as k8s.V1ConfigMap }),
      400,
    );
    expect(badKind.reason).to.equal('BadRequest');
  });

  it('pages lists with limit/continue and deletes collections by label', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (let i = 0; i < 5; i++) {
      await core.createNamespacedConfigMap({ namespace: 'kube-public', body: { metadata: { name: `page-${i}`, labels: { batch: i < 3 ? 'a' : 'b' } } } });
    }
    const first = await core.listNamespacedConfigMap({ namespace: 'kube-public', labelSelector: 'batch', limit: 2 });
    expect(first.items.map((c) => c.metadata?.name)).to.deep.equal(['page-0', 'page-1']);
    expect(first.metadata?._continue).to.be.a('string');
    const rest = await core.listNamespacedConfigMap({ namespace: 'kube-public', labelSelector: 'batch', limit: 10, _continue: first.metadata?._continue });
    expect(rest.items.map((c) => c.metadata?.name)).to.deep.equal(['page-2', 'page-3', 'page-4']);
    await core.deleteCollectionNamespacedConfigMap({ namespace: 'kube-public', labelSelector: 'batch=a' });
    const left = await core.listNamespacedConfigMap({ namespace: 'kube-public', labelSelector: 'batch' });
    expect(left.items.map((c) => c.metadata?.name)).to.deep.equal(['page-3', 'page-4']);
  });

  it('evicts pods, refusing with 429 when a PodDisruptionBudget would break', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const policy = kc.makeApiClient(k8s.PolicyV1Api);
    for (const name of ['db-0', 'db-1']) {
      await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name, labels: { app: 'db' } }, spec: { nodeName: 'cp-1', containers: [{ name: 'db', image: 'db:1' }] } } });
      await core.replaceNamespacedPodStatus({
        name,
        namespace: 'default',
        body: { ...(await core.readNamespacedPod({ name, namespace: 'default' })), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
      });
    }
    await policy.createNamespacedPodDisruptionBudget({ namespace: 'default', body: { metadata: { name: 'db' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } } });
    const evict = (name: string) => core.createNamespacedPodEviction({ name, namespace: 'default', body: { metadata: { name, namespace: 'default' } } });
    await evict('db-0');
    await expectApiError(core.readNamespacedPod({ name: 'db-0', namespace: 'default' }), 404);
    const refused = await expectApiError(evict('db-1'), 429);
    expect(refused.message).to.contain('disruption budget');
    expect((await core.readNamespacedPod({ name: 'db-1', namespace: 'default' })).metadata?.name).to.equal('db-1');
  });

  it('authenticates bootstrap tokens and rejects bad credentials', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const secret = (id: string, expiration: string) => ({
      metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' },
      type: 'bootstrap.kubernetes.io/token',
      data: {
        'token-id': b64(id),
        'token-secret': b64('0123456789abcdef'),
        'usage-bootstrap-authentication': b64('true'),
        'auth-extra-groups': b64('system:bootstrappers:kubeadm:default-node-token'),
        expiration: b64(expiration),
      },
    });
    // Written with stringData, which the server folds into data.
    const valid = secret('abcdef', '2999-01-01T00:00:00Z');
    const stringData = Object.fromEntries(Object.entries(valid.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    const stored = await core.createNamespacedSecret({ namespace: 'kube-system', body: { ...valid, data: undefined, stringData } });
    expect(stored.stringData).to.equal(undefined);
    expect(stored.data).to.deep.equal(valid.data);
    await core.createNamespacedSecret({ namespace: 'kube-system', body: secret('expird', '2000-01-01T00:00:00Z') });

    const asToken = (token: string) => client(cluster.tokenKubeconfig(`token-${token.slice(0, 6)}`, token));
    const review = await asToken('abcdef.0123456789abcdef').makeApiClient(k8s.AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    expect(review.status?.userInfo?.username).to.equal('system:bootstrap:abcdef');
    expect(review.status?.userInfo?.groups).to.include.members(['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token']);

    await expectApiError(asToken('abcdef.ffffffffffffffff').makeApiClient(k8s.CoreV1Api).listNode(), 401);
    await expectApiError(asToken('expird.0123456789abcdef').makeApiClient(k8s.CoreV1Api).listNode(), 401);

    // A client certificate from another CA does not authenticate.
    const rogueCa = createCA(path.join(cluster.dir, 'rogue'), 'ca', 'rogue-ca');
    const rogue = createCert(path.join(cluster.dir, 'rogue'), 'admin', rogueCa, { commonName: 'kubernetes-admin', organizations: ['system:masters'], usage: 'client' });
    const rogueKc = new k8s.KubeConfig();
    rogueKc.loadFromFile(cluster.kubeconfigPath);
    rogueKc.users[0] = { name: rogueKc.users[0]!.name, certFile: rogue.certFile, keyFile: rogue.keyFile };
    await expectApiError(rogueKc.makeApiClient(k8s.CoreV1Api).listNode(), 401);

    // Client certificates: CN is the user, O the groups.
    const kubelet = client(cluster.userKubeconfig('kubelet-cp-1', 'system:node:cp-1', ['system:nodes']));
    const who = await kubelet.makeApiClient(k8s.AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    expect(who.status?.userInfo).to.deep.include({ username: 'system:node:cp-1', groups: ['system:nodes', 'system:authenticated'] });
  });

  it('issues service account tokens that authenticate until the account is deleted', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name: 'robot' } } });
    const tr = await core.createNamespacedServiceAccountToken({ name: 'robot', namespace: 'default', body: { spec: { audiences: [] } } });
    const token = tr.status?.token ?? '';
    expect(token.split('.')).to.have.length(3);
    const asRobot = client(cluster.tokenKubeconfig('robot', token));
    const who = await asRobot.makeApiClient(k8s.AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    expect(who.status?.userInfo?.username).to.equal('system:serviceaccount:default:robot');
    expect(who.status?.userInfo?.groups).to.include('system:serviceaccounts:default');
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await expectApiError(client(cluster.tokenKubeconfig('tampered', tampered)).makeApiClient(k8s.CoreV1Api).listNode(), 401);
    await core.deleteNamespacedServiceAccount({ name: 'robot', namespace: 'default' });
    await expectApiError(asRobot.makeApiClient(k8s.CoreV1Api).listNode(), 401);
  });

  it('lets anonymous users read health and cluster-info only', async () => {
    const ca = fs.readFileSync(cluster.pki.ca.certFile);
    const get = (p: string) =>
      new Promise<{ code: number; body: string }>((resolve, reject) => {
        https.get(`${cluster.url}${p}`, { ca }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        }).on('error', reject);
      });
    expect(await get('/healthz')).to.deep.equal({ code: 200, body: 'ok' });
    expect(await get('/livez')).to.deep.equal({ code: 200, body: 'ok' });
    const forbidden = await get('/api/v1/namespaces/default/secrets');
    expect(forbidden.code).to.equal(403);
    expect(JSON.parse(forbidden.body).message).to.contain('system:anonymous');
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'kube-public', body: { metadata: { name: 'cluster-info' }, data: { kubeconfig: 'x' } } });
    expect((await get('/api/v1/namespaces/kube-public/configmaps/cluster-info')).code).to.equal(200);
  });

  it('serves custom resources of a CRD and removes them with it', async () => {
    const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } }],
        },
      },
    });
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    await custom.createNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets', body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } } });
    const list = await custom.listNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' });
    expect(list.items.map((w: { metadata: { name: string } }) => w.metadata.name)).to.deep.equal(['w1']);
    await ext.deleteCustomResourceDefinition({ name: 'widgets.example.com' });
    await expectApiError(custom.listNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' }), 404);
  });

  it('streams watch events', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const start = await core.listNamespacedConfigMap({ namespace: 'default' });
    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    const done = new Promise<void>((resolve) => {
      void watch
        .watch('/api/v1/namespaces/default/configmaps', { resourceVersion: start.metadata?.resourceVersion }, (type, obj: k8s.V1ConfigMap) => {
          events.push(`${type} ${obj.metadata?.name}`);
          if (type === 'DELETED') resolve();
        }, () => resolve())
        .then((req) => setTimeout(() => req.abort(), 10000));
    });
    await new Promise((r) => setTimeout(r, 200));
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' } } });
    await core.patchNamespacedConfigMap({ name: 'watched', namespace: 'default', body: { data: { k: 'v' } } }, mergePatch);
    await core.deleteNamespacedConfigMap({ name: 'watched', namespace: 'default' });
    await done;
    expect(events).to.deep.equal(['ADDED watched', 'MODIFIED watched', 'DELETED watched']);
  });
});

// Addons against the simulated kube-apiserver (real etcd on loopback): install, no-op
// re-apply, drift and its repair, recreation, pruning, and a custom override.
import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import { LocalCluster } from '../../e2e/kubesim/apiserver/testing/local-cluster.js';
import type { KubeOneCluster } from '../api/types.js';
import { listAddonObjects } from './apply.js';
import { diffAddons } from './diff.js';
import { nodeFiles } from './files.js';
import { renderAddons } from './render.js';
import { syncAddons } from './sync.js';
import { loadedCluster, memoryFiles } from './test-fixtures.js';

const render = (o: Partial<KubeOneCluster> = {}, files = nodeFiles) => renderAddons({ loaded: loadedCluster(o), files });

describe('addons on the simulated apiserver', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let kc: k8s.KubeConfig;
  let apps: k8s.AppsV1Api;

  before(async () => {
    cluster = await LocalCluster.start();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'kube-system' } } }).catch(() => undefined);
    // kubeadm's CoreDNS Deployment, the target of the coredns patch.
    await apps.createNamespacedDeployment({
      namespace: 'kube-system',
      fieldManager: 'kubeadm',
      body: {
        metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          template: {
            metadata: { labels: { 'k8s-app': 'kube-dns' } },
            spec: { containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.12.1' }] },
          },
        },
      },
    });
  });
  after(async () => {
    await cluster?.stop();
  });

  const pending = async (o: Partial<KubeOneCluster> = {}, files = nodeFiles) => {
    const rendered = render(o, files);
    return diffAddons(rendered, await listAddonObjects(kc, rendered)).filter((d) => d.change !== null);
  };

  it('installs canal, metrics-server, nodelocaldns and patches CoreDNS; a second run changes nothing', async () => {
    const first = await pending();
    expect(first.map((d) => `${d.change} ${d.addon}`)).to.deep.equal([
      '+ coredns-pdb',
      '+ metrics-server',
      '+ cni-canal',
      '+ nodelocaldns',
      '~ coredns-patch',
    ]);
    await syncAddons(kc, render());
    expect(await pending()).to.deep.equal([]);

    const ds = await apps.listDaemonSetForAllNamespaces({ labelSelector: 'kubeone.io/addon' });
    expect(ds.items.map((d) => d.metadata!.name).sort()).to.deep.equal(['canal', 'node-local-dns']);
    const coredns = await apps.readNamespacedDeployment({ name: 'coredns', namespace: 'kube-system' });
    expect(coredns.spec!.replicas).to.equal(2);
    expect(coredns.spec!.template.spec!.containers[0]!.image).to.contain('coredns');

    const before = await apps.readNamespacedDeployment({ name: 'metrics-server', namespace: 'kube-system' });
    const again = await syncAddons(kc, render());
    expect(again.applied).to.deep.equal([]);
    const after = await apps.readNamespacedDeployment({ name: 'metrics-server', namespace: 'kube-system' });
    expect(after.metadata!.resourceVersion).to.equal(before.metadata!.resourceVersion);
  });

  it('shows a hand-edited replica count as drift and restores it', async () => {
    await apps.patchNamespacedDeployment(
      { name: 'metrics-server', namespace: 'kube-system', body: { spec: { replicas: 3 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const drift = await pending();
    expect(drift).to.have.length(1);
    expect(drift[0]!.addon).to.equal('metrics-server');
    expect(drift[0]!.objects).to.deep.equal([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'kube-system',
        name: 'metrics-server',
        change: '~',
        patch: [{ op: 'replace', path: '/spec/replicas', value: 1 }],
      },
    ]);
    await syncAddons(kc, render());
    expect(await pending()).to.deep.equal([]);
    expect((await apps.readNamespacedDeployment({ name: 'metrics-server', namespace: 'kube-system' })).spec!.replicas).to.equal(1);
  });

  it('recreates a deleted object', async () => {
    await apps.deleteNamespacedDaemonSet({ name: 'node-local-dns', namespace: 'kube-system' });
    const missing = await pending();
    expect(missing.map((d) => [d.addon, d.objects.map((o) => `${o.change}${o.kind}/${o.name}`)])).to.deep.equal([
      ['nodelocaldns', ['+DaemonSet/node-local-dns']],
    ]);
    await syncAddons(kc, render());
    expect(await pending()).to.deep.equal([]);
    await apps.readNamespacedDaemonSet({ name: 'node-local-dns', namespace: 'kube-system' });
  });

  it('prunes metrics-server when it is disabled, touching nothing else', async () => {
    const without = { features: { metricsServer: { enable: false } } };
    const others = (await listAddonObjects(kc)).filter((o) => o.addon !== 'metrics-server');
    const plan = await pending(without);
    expect(plan.map((d) => `${d.change} ${d.addon}`)).to.deep.equal(['- metrics-server']);
    expect(plan[0]!.objects.map((o) => o.kind).sort()).to.deep.equal([
      'APIService', 'ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'Deployment', 'RoleBinding', 'Service', 'ServiceAccount',
    ]);
    const result = await syncAddons(kc, render(without));
    expect(result.pruned).to.have.length(9);
    expect(await pending(without)).to.deep.equal([]);
    const left = await listAddonObjects(kc);
    expect(left.some((o) => o.addon === 'metrics-server')).to.equal(false);
    expect(left.map((o) => [o.kind, o.name, o.hash])).to.deep.equal(others.map((o) => [o.kind, o.name, o.hash]));
  });

  it('lets a custom addon directory override an embedded one', async () => {
    const files = memoryFiles(
      {
        '/cluster/addons/nodelocaldns/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: custom-dns\n  namespace: kube-system\ndata:\n  podSubnet: "{{ .Config.ClusterNetwork.PodSubnet }}"\n',
      },
      nodeFiles,
    );
    const o = { features: { metricsServer: { enable: false } }, addons: { path: './addons' } };
    const rendered = render(o, files);
    expect(rendered.find((a) => a.name === 'nodelocaldns')!.source).to.equal('custom');
    const plan = await pending(o, files);
    expect(plan.map((d) => `${d.change} ${d.addon}`)).to.deep.equal(['~ nodelocaldns']);
    expect(plan[0]!.objects.map((o) => `${o.change}${o.kind}/${o.name}`).sort()).to.deep.equal([
      '+ConfigMap/custom-dns', '-ConfigMap/node-local-dns', '-DaemonSet/node-local-dns', '-Service/kube-dns-upstream', '-ServiceAccount/node-local-dns',
    ]);
    await syncAddons(kc, rendered);
    expect(await pending(o, files)).to.deep.equal([]);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const cm = await core.readNamespacedConfigMap({ name: 'custom-dns', namespace: 'kube-system' });
    expect(cm.data).to.deep.equal({ podSubnet: '10.244.0.0/16' });
  });
});

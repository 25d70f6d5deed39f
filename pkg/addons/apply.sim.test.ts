// Addons against the simulated kube-apiserver (real etcd on loopback): install, no-op
// re-apply, drift and its repair, recreation, pruning, and a custom override. Changes go the
// way apply makes them: the planner's addon steps, run by the addon.apply / addon.prune ops.
import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { LocalCluster } from '../../e2e/kubesim/apiserver/testing/local-cluster.js';
import type { KubeOneCluster } from '../api/types.js';
import type { OpDeps } from '../ops/context.js';
import { OPS } from '../ops/registry.js';
import type { OpDefinition } from '../ops/types.js';
import { addonSteps } from '../plan/kinds/apply-addon.js';
import type { Action, ObjectRef, RenderedAddon } from '../plan/types.js';
import { applyAddonObjects, listAddonObjects, pruneAddonObjects } from './apply.js';
import { addonOwnership, compareAddons, diffAddons } from './diff.js';
import { objectKey } from './normalize.js';
import { PATCH_ADDONS } from './patch-addons.js';
import { emptyRecord } from '../ownership/record.js';
import { nodeFiles } from './files.js';
import { renderAddons } from './render.js';
import { loadedCluster, makeCA, memoryFiles } from './testing/fixtures.js';
import { PROVIDER_EXAMPLES } from './testing/providers.js';

const render = (o: Partial<KubeOneCluster> = {}, files = nodeFiles, credentials: Record<string, string> = {}) =>
  renderAddons({ loaded: loadedCluster(o, credentials), files });

const CUSTOM_DNS =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: custom-dns\n  namespace: kube-system\ndata:\n  podSubnet: "{{ .Config.ClusterNetwork.PodSubnet }}"\n';

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

  /** The ownership record as apply leaves it (pkg/plan record-ownership): the objects of the addons it rendered. */
  const record = emptyRecord();
  const owned = () => addonOwnership(record);

  /** What apply does for the addons: the planner's steps for each changed addon, run by their ops, then the record. */
  const syncAddons = async (kubeConfig: k8s.KubeConfig, rendered: RenderedAddon[]) => {
    const applied: ObjectRef[] = [];
    const pruned: ObjectRef[] = [];
    const deps = {
      desired: { addons: rendered },
      kubeConfig: async () => kubeConfig,
      addons: {
        apply: async (_kc: unknown, addon: RenderedAddon) => void applied.push(...(await applyAddonObjects(kubeConfig, addon)).applied),
        prune: async (_kc: unknown, objects: (ObjectRef & { addon: string })[]) => void pruned.push(...(await pruneAddonObjects(kubeConfig, objects)).deleted),
      },
    } as unknown as OpDeps;
    for (const d of diffAddons(rendered, await listAddonObjects(kubeConfig, rendered), owned()).filter((x) => x.change !== null)) {
      for (const step of addonSteps(d.addon, d.objects)) {
        const run = { deps, step, action: {} as Action, runId: 'sim', signal: new AbortController().signal };
        await (OPS[step.op] as OpDefinition<unknown>).run(run, step.params);
      }
    }
    record.addons = Object.fromEntries(rendered.filter((a) => !PATCH_ADDONS.has(a.name)).map((a) => [a.name, a.objects.map(objectKey)]));
    return { applied, pruned };
  };

  const pending = async (o: Partial<KubeOneCluster> = {}, files = nodeFiles, credentials: Record<string, string> = {}) => {
    const rendered = render(o, files, credentials);
    return diffAddons(rendered, await listAddonObjects(kc, rendered), owned()).filter((d) => d.change !== null);
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

    if (existsSync('/usr/bin/kubectl')) {
      // Async: the simulated apiserver runs in this process.
      const { stdout: out } = await promisify(execFile)('/usr/bin/kubectl', ['--kubeconfig', cluster.kubeconfigPath, 'get', 'ds,deploy', '-A', '-o', 'name']);
      expect(out.trim().split('\n').sort()).to.deep.equal([
        'daemonset.apps/canal',
        'daemonset.apps/node-local-dns',
        'deployment.apps/calico-kube-controllers',
        'deployment.apps/coredns',
        'deployment.apps/metrics-server',
      ]);
    }

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
        '/cluster/addons/nodelocaldns/cm.yaml': CUSTOM_DNS,
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

  it('applies a CRD and its custom resources in one addon, and Secrets from credentials', async () => {
    const files = memoryFiles(
      {
        '/cluster/addons/nodelocaldns/cm.yaml': CUSTOM_DNS,
        '/cluster/addons/widgets/crd.yaml': [
          'apiVersion: apiextensions.k8s.io/v1',
          'kind: CustomResourceDefinition',
          'metadata: {name: widgets.example.test}',
          'spec:',
          '  group: example.test',
          '  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}',
          '  scope: Cluster',
          '  versions:',
          '    - name: v1',
          '      served: true',
          '      storage: true',
          '      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}',
        ].join('\n'),
        '/cluster/addons/widgets/widget.yaml': 'apiVersion: example.test/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: {{ .Params.size | default "3" }}}\n',
        '/cluster/addons/widgets/secret.yaml':
          'apiVersion: v1\nkind: Secret\nmetadata: {name: widget-token, namespace: kube-system}\nstringData:\n  token: {{ .CustomCredentials.WIDGET_TOKEN | quote }}\n',
      },
      nodeFiles,
    );
    const o = { features: { metricsServer: { enable: false } }, addons: { path: './addons' } };
    const creds = { customSecrets: 'WIDGET_TOKEN: first-token-value' };
    const rendered = render(o, files, creds);
    const widget = rendered.find((a) => a.name === 'widgets')!;
    expect(widget.objects.find((x) => x.kind === 'Widget')!.namespace).to.equal('');
    // The custom override of nodelocaldns stays; only the widgets addon is new.
    const plan = await pending(o, files, creds);
    expect(plan.map((d) => `${d.change} ${d.addon}`)).to.deep.equal(['+ widgets']);
    await syncAddons(kc, rendered);
    expect(await pending(o, files, creds)).to.deep.equal([]);

    const live = await listAddonObjects(kc, rendered);
    const secret = live.find((l) => l.kind === 'Secret')!;
    expect(JSON.stringify(secret)).to.not.contain('first-token');
    const rotated = await pending(o, files, { customSecrets: 'WIDGET_TOKEN: second-token-value' });
    expect(rotated.map((d) => d.objects.map((x) => `${x.change}${x.kind}/${x.name}`))).to.deep.equal([['~Secret/widget-token']]);
    expect(JSON.stringify(rotated)).to.not.contain('token-value');
  });
  it('machinecontroller and operating-system-manager: every object accepted and read back as rendered, the CRDs validate their custom resources; turned off, all but the CRDs go', async () => {
    const ca = makeCA();
    const machineAddons = (o: Partial<KubeOneCluster> = {}) =>
      renderAddons({ loaded: loadedCluster({ cloudProvider: structuredClone(PROVIDER_EXAMPLES.openstack.cloudProvider), ...o }, PROVIDER_EXAMPLES.openstack.credentials), files: nodeFiles, clusterCA: ca })
        .filter((a) => a.name === 'machinecontroller' || a.name === 'operating-system-manager');
    const rendered = machineAddons();
    expect(rendered.map((a) => a.name)).to.deep.equal(['machinecontroller', 'operating-system-manager']);
    const diff = async (r: RenderedAddon[]) => diffAddons(r, await listAddonObjects(kc, rendered), owned()).filter((d) => d.change !== null);
    // The webhook configuration older KubeOne versions created (no label) goes, by name.
    const admission = kc.makeApiClient(k8s.AdmissionregistrationV1Api);
    await admission.createMutatingWebhookConfiguration({ body: { metadata: { name: 'machine-controller.kubermatic.io' } } });
    expect((await diff(rendered)).find((d) => d.addon === 'machinecontroller')!.objects).to.deep.include({
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', namespace: '', name: 'machine-controller.kubermatic.io', change: '-',
    });
    await syncAddons(kc, rendered);
    expect(await diff(rendered), 'a second run changes nothing').to.deep.equal([]);
    const hooks = (await admission.listMutatingWebhookConfiguration()).items.map((w) => w.metadata!.name);
    expect(hooks).to.include('machinedeployments.machine-controller.kubermatic.io').and.not.include('machine-controller.kubermatic.io');

    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const osp = (osName: string) => ({
      apiVersion: 'operatingsystemmanager.k8c.io/v1alpha1',
      kind: 'OperatingSystemProfile',
      metadata: { name: `osp-${osName}`, namespace: 'kube-system' },
      spec: {
        osName,
        osVersion: '24.04',
        version: 'v1.0.0',
        supportedCloudProviders: [{ name: 'openstack' }],
        bootstrapConfig: { files: [{ path: '/etc/x', content: { inline: { data: 'x' } } }] },
        provisioningConfig: { units: [{ name: 'kubelet.service', enable: true }], supportedContainerRuntimes: [{ name: 'containerd', files: [] }] },
      },
    });
    await custom.createNamespacedCustomObject({ group: 'operatingsystemmanager.k8c.io', version: 'v1alpha1', namespace: 'kube-system', plural: 'operatingsystemprofiles', body: osp('ubuntu') });
    const refused = await custom
      .createNamespacedCustomObject({ group: 'operatingsystemmanager.k8c.io', version: 'v1alpha1', namespace: 'kube-system', plural: 'operatingsystemprofiles', body: osp('windows') })
      .then(() => 'created', (e: k8s.ApiException<string>) => `${e.code} ${e.body}`);
    expect(refused).to.match(/^422 /).and.contain('spec.osName');

    const off = machineAddons({ machineController: { deploy: false } });
    expect(off).to.deep.equal([]);
    const { diffs, unmanaged } = compareAddons(off, await listAddonObjects(kc, rendered), owned());
    const ours = (a: string) => a === 'machinecontroller' || a === 'operating-system-manager';
    const pruned = diffs.filter((d) => ours(d.addon)).flatMap((d) => d.objects);
    expect(pruned.length).to.equal(rendered.flatMap((a) => a.objects).length - 5);
    expect(pruned.every((o) => o.change === '-' && o.kind !== 'CustomResourceDefinition')).to.equal(true);
    expect(unmanaged.filter((u) => ours(u.addon)).flatMap((u) => u.objects.map((o) => `${u.keptDefinitions} ${o.name}`)).sort()).to.deep.equal([
      'machinedeployments.cluster.k8s.io', 'machines.cluster.k8s.io', 'machinesets.cluster.k8s.io',
      'operatingsystemconfigs.operatingsystemmanager.k8c.io', 'operatingsystemprofiles.operatingsystemmanager.k8c.io',
    ].map((n) => `true ${n}`));
  });

  it('every provider\'s CCM, CSI and credential addons: accepted by the apiserver (CRDs, webhooks, StorageClasses), read back as rendered, the previous provider\'s pruned', async () => {
    const ca = makeCA();
    const cloudAddon = (name: string) => /^(ccm|csi)-/.test(name) || name === 'cloud-credentials';
    let previous: string[] = [];
    for (const [provider, example] of Object.entries(PROVIDER_EXAMPLES)) {
      const rendered = renderAddons({
        loaded: loadedCluster({ cloudProvider: structuredClone(example.cloudProvider), machineController: { deploy: false } }, example.credentials),
        files: nodeFiles,
        clusterCA: ca,
      }).filter((a) => cloudAddon(a.name));
      expect(rendered.map((a) => a.name).sort(), provider).to.deep.equal([...example.addons].sort());
      const { applied, pruned } = await syncAddons(kc, rendered);
      expect(applied.length, provider).to.be.greaterThan(0);
      const gone = previous.filter((name) => !example.addons.includes(name));
      if (gone.length > 0) expect(pruned.length, `${provider}: ${gone.join(', ')} pruned`).to.be.greaterThan(0);
      previous = example.addons;
      const left = diffAddons(rendered, await listAddonObjects(kc, rendered), owned()).filter((d) => d.change !== null);
      expect(left.map((d) => `${d.change} ${d.addon}: ${d.objects.map((o) => `${o.change}${o.kind}/${o.name}`).join(', ')}`), `${provider}: a second run changes nothing`).to.deep.equal([]);
    }
  });
});

// A cluster on OpenStack as KubeOne sets it up, on the sandbox: the kubelet runs with
// --cloud-provider=external (the simulated kubelet then registers its Node with the
// uninitialized taint, which no CCM removes here), the credential and cloud-config Secrets, the
// Cinder CSI driver with the snapshot CRDs, controller and webhook, the OpenStack CCM, the
// default StorageClass and VolumeSnapshotClass, and (machineController.deploy's default on a
// cloud) machine-controller and operating-system-manager with their CRDs and webhooks, whose
// serving certificates the cluster CA signs. No controller pod runs in the sandbox: the
// objects are checked as the API server stores them. Read back with the real kubectl; the apiserver
// validates the custom resources against the CRDs' schemas. A second plan is empty; the Secret
// old KubeOne versions wrote is deleted by name; a new password rolls the CCM. No credential
// value is ever printed. reset then removes the LoadBalancer Service and the claim first (the
// test plays the CSI driver's part), then the host. (The other providers are rendered, planned
// and applied to the simulated apiserver in cmd/cloud-providers.test.ts and
// e2e/kubesim/apiserver/structural-schema.test.ts.)
import { execFile } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { PROVIDER_EXAMPLES } from '../../pkg/addons/testing/providers.js';
import { type Fleet, KUBESIM_BUNDLE_TEMPLATE, startFleet } from '../fleet/index.js';
import { KUBEONE_BIN, kubeone, kubeoneExpect } from '../lifecycle/cli.js';

const VERSION = '1.35.1';
const run = promisify(execFile);
type Obj = Record<string, any>;

const PASSWORD = 'e2e-openstack-password-4821';
const CREDENTIALS: Record<string, string> = { ...PROVIDER_EXAMPLES.openstack.credentials, OS_PASSWORD: PASSWORD, OS_DOMAIN_NAME: 'e2e-domain' };

describe('OpenStack external CCM and Cinder CSI on a sandbox cluster, read with kubectl', function () {
  this.timeout(1_200_000);
  let fleet: Fleet;
  let dir: string;
  let manifestPath: string;
  let credentialsPath: string;
  let kubeconfigPath: string;
  const outputs: string[] = [];

  const kubectl = async (...args: string[]): Promise<Obj> => JSON.parse((await run('kubectl', ['--kubeconfig', kubeconfigPath, ...args, '-o', 'json'], { timeout: 60_000 })).stdout) as Obj;
  const k1 = async (expected: number, ...args: string[]) => {
    const r = await kubeoneExpect(expected, [...args, '-m', manifestPath, '-c', credentialsPath], dir);
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const writeCredentials = (creds: Record<string, string>): void => writeFileSync(credentialsPath, stringify(creds), { mode: 0o600 });

  before(async function () {
    if (!existsSync(KUBESIM_BUNDLE_TEMPLATE.replace('{arch}', 'amd64').replace('{version}', VERSION))) this.skip();
    if (!existsSync(KUBEONE_BIN)) throw new Error(`${KUBEONE_BIN} is missing: run npm run build`);
    fleet = await startFleet({ controlPlanes: 1, workers: 0, kubernetesVersion: VERSION });
    dir = path.dirname(fleet.manifestPath);
    const manifest = parse(readFileSync(fleet.manifestPath, 'utf8')) as Obj;
    // machineController is left unset: KubeOne's default (deploy: true) deploys
    // machine-controller and operating-system-manager.
    manifest.cloudProvider = structuredClone(PROVIDER_EXAMPLES.openstack.cloudProvider);
    manifest.addons = { addons: [{ name: 'default-storage-class' }] };
    manifestPath = path.join(dir, 'openstack.yaml');
    writeFileSync(manifestPath, stringify(manifest));
    credentialsPath = path.join(dir, 'credentials.yaml');
    writeCredentials(CREDENTIALS);
  });
  after(async function () {
    this.timeout(180_000);
    await fleet?.destroy();
  });

  it('addons list shows what apply will install', async () => {
    const list = await k1(0, 'addons', 'list', '-o', 'json');
    const status = Object.fromEntries((JSON.parse(list.stdout) as { addons: { name: string; status: string }[] }).addons.map((a) => [a.name, a.status]));
    expect(status).to.include({ 'cloud-credentials': 'install', 'csi-openstack-cinder': 'install', 'csi-external-snapshotter': 'install', 'ccm-openstack': 'install', 'default-storage-class': 'install', machinecontroller: 'install', 'operating-system-manager': 'install', 'ccm-hetzner': 'inactive' });
  });

  it('installs the cluster with them; the snapshot webhooks turn strict on the next apply (as KubeOne); then the plan is empty; addons list --live says installed', async () => {
    const apply = await k1(0, 'apply', '-y');
    expect(apply.stderr).to.match(/machineController\.deploy is unset and defaults to true/);
    // KubeOne installs the snapshot webhooks with failurePolicy Ignore while it creates the
    // cluster (nothing answers yet, and default-storage-class's VolumeSnapshotClasses go through
    // them), Fail on every later apply: exactly that is left for the second run.
    const second = await kubeone(['plan', '-m', manifestPath, '-c', credentialsPath, '-v', '-o', 'json'], dir);
    outputs.push(second.stdout, second.stderr);
    const actions = (JSON.parse(second.stdout) as { actions: { id: string; objects?: { kind: string; name: string; patch?: { op: string; path: string; value: unknown }[] }[] }[] }).actions;
    expect(actions.map((a) => a.id)).to.deep.equal(['apply-addon:csi-external-snapshotter']);
    expect(actions[0]!.objects!.map((o) => [o.kind, o.name, o.patch])).to.deep.equal(
      ['validation-webhook.groupsnapshot.storage.k8s.io', 'validation-webhook.snapshot.storage.k8s.io'].map((name) => ['ValidatingWebhookConfiguration', name, [{ op: 'replace', path: '/webhooks/0/failurePolicy', value: 'Fail' }]]),
    );
    await k1(0, 'apply', '-y');
    const plan = await kubeone(['plan', '-m', manifestPath, '-c', credentialsPath, '--detailed-exitcode'], dir);
    outputs.push(plan.stdout, plan.stderr);
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).to.equal(0);
    const list = await k1(0, 'addons', 'list', '--live', '-o', 'json');
    const status = Object.fromEntries((JSON.parse(list.stdout) as { addons: { name: string; status: string }[] }).addons.map((a) => [a.name, a.status]));
    expect(status).to.include({ 'cloud-credentials': 'installed', 'csi-openstack-cinder': 'installed', 'csi-external-snapshotter': 'installed', 'ccm-openstack': 'installed', 'default-storage-class': 'installed', machinecontroller: 'installed', 'operating-system-manager': 'installed' });
    kubeconfigPath = path.join(dir, 'admin.conf');
    writeFileSync(kubeconfigPath, (await k1(0, 'kubeconfig')).stdout, { mode: 0o600 });
  });

  it('the kubelet runs with --cloud-provider=external (its Node waits for the CCM), CoreDNS tolerates that', async () => {
    const node = (await kubectl('get', 'nodes')).items[0] as Obj;
    expect(node.spec.taints).to.deep.include({ key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' });
    const coredns = await kubectl('-n', 'kube-system', 'get', 'deployment', 'coredns');
    expect(coredns.spec.template.spec.tolerations).to.deep.include({ key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' });
  });

  it('writes the cloud-config Secret (cloudConfig rendered with the credentials) and the credential Secrets', async () => {
    const decode = (s: Obj): Record<string, string> => Object.fromEntries(Object.entries(s.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    const cloudConfig = decode(await kubectl('-n', 'kube-system', 'get', 'secret', 'cloud-config'))['cloud-config']!;
    expect(cloudConfig).to.contain(`password = "${PASSWORD}"`).and.contain('domain-name = "e2e-domain"').and.not.contain('{{');
    expect(decode(await kubectl('-n', 'kube-system', 'get', 'secret', 'kubeone-ccm-credentials'))).to.include({ OS_PASSWORD: PASSWORD, OS_AUTH_URL: CREDENTIALS.OS_AUTH_URL! });
    expect(decode(await kubectl('-n', 'kube-system', 'get', 'secret', 'kubeone-machine-controller-credentials'))).to.include({ OS_PASSWORD: PASSWORD });
    const ccm = await kubectl('-n', 'kube-system', 'get', 'daemonset', 'openstack-cloud-controller-manager');
    expect(ccm.spec.template.metadata.annotations['kubeone.k8c.io/cloudconfig-hash']).to.equal(createHash('sha256').update(cloudConfig).digest('hex'));
    expect(ccm.spec.template.spec.containers[0].image).to.equal('registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.35.0');
  });

  it('deploys the Cinder CSI driver, the snapshot CRDs, controller and webhook; the VolumeSnapshotClass passed the CRD schema', async () => {
    expect((await kubectl('get', 'csidriver', 'cinder.csi.openstack.org')).spec).to.include({ attachRequired: true, podInfoOnMount: true });
    const crds = ((await kubectl('get', 'crd')).items as Obj[]).map((c) => c.metadata.name);
    expect(crds).to.include.members(['volumesnapshots.snapshot.storage.k8s.io', 'volumesnapshotcontents.snapshot.storage.k8s.io', 'volumesnapshotclasses.snapshot.storage.k8s.io', 'volumegroupsnapshots.groupsnapshot.storage.k8s.io']);
    for (const d of ['openstack-cinder-csi-controllerplugin', 'snapshot-controller', 'snapshot-webhook']) expect((await kubectl('-n', 'kube-system', 'get', 'deployment', d)).metadata.labels).to.have.property('kubeone.io/addon');
    const webhook = await kubectl('get', 'validatingwebhookconfiguration', 'validation-webhook.snapshot.storage.k8s.io');
    expect(webhook.webhooks[0].failurePolicy).to.equal('Fail');
    expect(webhook.webhooks[0].clientConfig.service).to.include({ namespace: 'kube-system', name: 'snapshot-validation-service', path: '/volumesnapshot' });
    const vsc = await kubectl('get', 'volumesnapshotclass', 'cinder-csi');
    expect(vsc).to.deep.include({ driver: 'cinder.csi.openstack.org', deletionPolicy: 'Delete', parameters: { 'force-create': 'true' } });
    const sc = await kubectl('get', 'storageclass', 'cinder-csi');
    expect(sc.provisioner).to.equal('cinder.csi.openstack.org');
    // The apiserver enforces the schema: a VolumeSnapshotClass without a driver is refused.
    const bad = path.join(dir, 'bad-vsc.yaml');
    writeFileSync(bad, stringify({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'bad' }, deletionPolicy: 'Keep' }));
    const refused = await run('kubectl', ['--kubeconfig', kubeconfigPath, 'apply', '-f', bad]).then(() => '', (e: { stderr: string }) => e.stderr);
    expect(refused).to.match(/driver: Required value/).and.match(/Unsupported value: "Keep"/);
  });

  it('deploys machine-controller and operating-system-manager: their CRDs serve and validate Machine API objects, the webhooks trust the cluster CA that signed their serving certificates', async () => {
    for (const d of ['machine-controller', 'machine-controller-webhook', 'operating-system-manager', 'operating-system-manager-webhook']) {
      const dep = await kubectl('-n', 'kube-system', 'get', 'deployment', d);
      expect(dep.metadata.labels['kubeone.io/addon']).to.equal(d.startsWith('machine') ? 'machinecontroller' : 'operating-system-manager');
    }
    const mc = await kubectl('-n', 'kube-system', 'get', 'deployment', 'machine-controller');
    expect(mc.spec.template.spec.containers[0].image).to.equal('quay.io/kubermatic/machine-controller:v1.66.1');
    const osm = await kubectl('-n', 'kube-system', 'get', 'deployment', 'operating-system-manager');
    expect(osm.spec.template.spec.containers[0].args).to.include.members(['-external-cloud-provider', '-container-runtime=containerd', '-cluster-dns=169.254.20.10']);
    const crds = ((await kubectl('get', 'crd')).items as Obj[]).map((c) => c.metadata.name);
    expect(crds).to.include.members(['machines.cluster.k8s.io', 'machinesets.cluster.k8s.io', 'machinedeployments.cluster.k8s.io', 'operatingsystemprofiles.operatingsystemmanager.k8c.io', 'operatingsystemconfigs.operatingsystemmanager.k8c.io']);
    expect((await kubectl('-n', 'cloud-init-settings', 'get', 'serviceaccount', 'cloud-init-getter')).metadata.name).to.equal('cloud-init-getter');

    // The API server takes a MachineDeployment as KubeOne writes one, and refuses a wrong type.
    const md = (replicas: unknown): Obj => ({
      apiVersion: 'cluster.k8s.io/v1alpha1',
      kind: 'MachineDeployment',
      metadata: { name: 'e2e-pool', namespace: 'kube-system' },
      spec: {
        replicas,
        selector: { matchLabels: { workerset: 'e2e-pool' } },
        template: { metadata: { labels: { workerset: 'e2e-pool' } }, spec: { versions: { kubelet: VERSION }, providerSpec: { value: { cloudProvider: 'openstack', operatingSystem: 'ubuntu', cloudProviderSpec: { flavor: 'm1.small' } } } } },
      },
    });
    const mdFile = path.join(dir, 'md.yaml');
    writeFileSync(mdFile, stringify(md('two')));
    const refused = await run('kubectl', ['--kubeconfig', kubeconfigPath, 'create', '-f', mdFile]).then(() => '', (e: { stderr: string }) => e.stderr);
    expect(refused).to.match(/spec\.replicas/);
    writeFileSync(mdFile, stringify(md(2)));
    await run('kubectl', ['--kubeconfig', kubeconfigPath, 'create', '-f', mdFile], { timeout: 60_000 });
    const stored = await kubectl('-n', 'kube-system', 'get', 'machinedeployments.cluster.k8s.io', 'e2e-pool');
    expect(stored.spec.template.spec.providerSpec.value.cloudProviderSpec).to.deep.equal({ flavor: 'm1.small' });
    await run('kubectl', ['--kubeconfig', kubeconfigPath, 'delete', '-f', mdFile], { timeout: 60_000 });

    // Serving certificates: signed by the cluster CA (read on the control plane) for the Service's names.
    const ca = (await fleet.exec('cp-1', 'cat /etc/kubernetes/pki/ca.crt')).stdout;
    const caCert = new X509Certificate(ca);
    for (const [secret, key, service, hook] of [
      ['machinecontroller-webhook-serving-cert', 'cert.pem', 'machine-controller-webhook', ['mutatingwebhookconfiguration', 'machinedeployments.machine-controller.kubermatic.io']],
      ['operating-system-manager-webhook-serving-cert', 'tls.crt', 'operating-system-manager-webhook', ['validatingwebhookconfiguration', 'operatingsystemmanager.k8c.io']],
    ] as const) {
      const data = (await kubectl('-n', 'kube-system', 'get', 'secret', secret)).data as Record<string, string>;
      const cert = new X509Certificate(Buffer.from(data[key]!, 'base64'));
      expect(cert.verify(caCert.publicKey), `${secret} signed by the cluster CA`).to.equal(true);
      expect(cert.checkHost(`${service}.kube-system.svc`)).to.equal(`${service}.kube-system.svc`);
      const webhooks = (await kubectl('get', ...hook)).webhooks as Obj[];
      for (const w of webhooks) {
        expect(Buffer.from(w.clientConfig.caBundle, 'base64').toString()).to.equal(ca);
        expect(w.clientConfig.service.name).to.equal(service);
      }
    }
  });

  it('machineController.deploy: false would delete what kubeone applied of both addons but keep their CRDs (plan only)', async () => {
    const off = parse(readFileSync(manifestPath, 'utf8')) as Obj;
    off.machineController = { deploy: false };
    const offPath = path.join(dir, 'openstack-no-mc.yaml');
    writeFileSync(offPath, stringify(off));
    const plan = await kubeone(['plan', '-m', offPath, '-c', credentialsPath, '-v', '-o', 'json'], dir);
    outputs.push(plan.stdout, plan.stderr);
    const actions = (JSON.parse(plan.stdout) as { actions: { id: string; objects?: { kind: string; name: string; change: string }[] }[] }).actions;
    const prune = (name: string) => actions.find((a) => a.id === `prune-addon:${name}`)?.objects ?? [];
    expect(prune('machinecontroller').map((o) => `${o.change} ${o.kind} ${o.name}`)).to.include.members(['- Deployment machine-controller', '- MutatingWebhookConfiguration machinedeployments.machine-controller.kubermatic.io']);
    expect(prune('operating-system-manager').map((o) => `${o.change} ${o.kind} ${o.name}`)).to.include('- Namespace cloud-init-settings');
    expect([...prune('machinecontroller'), ...prune('operating-system-manager')].filter((o) => o.kind === 'CustomResourceDefinition')).to.deep.equal([]);
    expect(plan.stderr + plan.stdout).to.match(/kept: 3 CustomResourceDefinition\(s\) of addon machinecontroller/);
  });

  // One apply for both (each apply costs minutes on a busy machine).
  it("a new password changes the Secrets and rolls the CCM; the Secret old KubeOne versions wrote is deleted, nothing else that isn't ours (the plan shows both, never a password)", async () => {
    await run('kubectl', ['--kubeconfig', kubeconfigPath, '-n', 'kube-system', 'create', 'secret', 'generic', 'cloud-provider-credentials', '--from-literal=OS_PASSWORD=legacy-password-9913']);
    await run('kubectl', ['--kubeconfig', kubeconfigPath, '-n', 'kube-system', 'create', 'secret', 'generic', 'not-ours', '--from-literal=a=b']);
    writeCredentials({ ...CREDENTIALS, OS_PASSWORD: 'e2e-rotated-password-7730' });
    const plan = await kubeone(['plan', '-m', manifestPath, '-c', credentialsPath, '-v', '--detailed-exitcode'], dir);
    outputs.push(plan.stdout, plan.stderr);
    expect(plan.code, plan.stdout + plan.stderr).to.equal(2);
    expect(plan.stdout).to.match(/- Secret kube-system\/cloud-provider-credentials/).and.not.match(/not-ours/);
    expect(plan.stdout).to.match(/~ Secret kube-system\/cloud-config/).and.match(/~ DaemonSet kube-system\/openstack-cloud-controller-manager/);
    expect(plan.stdout + plan.stderr).to.not.contain('e2e-rotated-password-7730');
    const ccmBefore = (await kubectl('-n', 'kube-system', 'get', 'daemonset', 'openstack-cloud-controller-manager')).spec.template.metadata.annotations as Record<string, string>;
    await k1(0, 'apply', '-y');
    const gone = await run('kubectl', ['--kubeconfig', kubeconfigPath, '-n', 'kube-system', 'get', 'secret', 'cloud-provider-credentials']).then(() => false, () => true);
    expect(gone).to.equal(true);
    expect((await kubectl('-n', 'kube-system', 'get', 'secret', 'not-ours')).metadata.name).to.equal('not-ours');
    const ccmAfter = (await kubectl('-n', 'kube-system', 'get', 'daemonset', 'openstack-cloud-controller-manager')).spec.template.metadata.annotations as Record<string, string>;
    expect(ccmAfter['kubeone.k8c.io/cloudconfig-hash']).to.not.equal(ccmBefore['kubeone.k8c.io/cloudconfig-hash']);
    expect((await kubeone(['plan', '-m', manifestPath, '-c', credentialsPath, '--detailed-exitcode'], dir)).code).to.equal(0);
  });

  it('reset removes the LoadBalancer Services and the volumes first (--remove-lb-services, --remove-volumes: KubeOne\'s defaults), then the hosts', async () => {
    const apply = async (o: Obj): Promise<void> => {
      const file = path.join(dir, `${o.kind}-${o.metadata.name}.yaml`);
      writeFileSync(file, stringify(o));
      await run('kubectl', ['--kubeconfig', kubeconfigPath, 'apply', '-f', file], { timeout: 60_000 });
    };
    await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }], selector: { app: 'web' } } });
    await apply({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pvc-e2e', annotations: { 'pv.kubernetes.io/provisioned-by': 'cinder.csi.openstack.org' } }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'cinder-csi', csi: { driver: 'cinder.csi.openstack.org', volumeHandle: 'e2e' } } });
    await apply({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'cinder-csi', volumeName: 'pvc-e2e', resources: { requests: { storage: '1Gi' } } } });
    // This sandbox has no OpenStack: the test plays the Cinder CSI driver's part and deletes the
    // volume once its claim is gone (the CCM has no load balancer to release).
    let stop = false;
    const csi = (async () => {
      while (!stop) {
        const claims = await kubectl('get', 'pvc', '-A').catch(() => null);
        if (claims && claims.items.length === 0) {
          await run('kubectl', ['--kubeconfig', kubeconfigPath, 'delete', 'pv', 'pvc-e2e', '--ignore-not-found']).catch(() => undefined);
          return;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    try {
      const reset = await k1(0, 'reset', '-y');
      // In the plan: the load balancers, then the claims, then the host.
      expect(reset.stdout, reset.stdout).to.match(/delete 1 Service\(s\) of type LoadBalancer[\s\S]*delete 1 PersistentVolumeClaim\(s\)[\s\S]*\breset (?!removes)\S+/);
    } finally {
      stop = true;
      await csi;
    }
    expect((await fleet.exec('cp-1', 'test -e /etc/kubernetes/kubelet.conf')).exitCode).to.not.equal(0);
  });

  it('never printed a credential value', () => {
    for (const out of outputs) for (const secret of [PASSWORD, 'e2e-rotated-password-7730', 'legacy-password-9913']) expect(out).to.not.contain(secret);
  });
});

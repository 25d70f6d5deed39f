// dynamicWorkers on a sandbox OpenStack cluster (1 control plane), through the built CLI, judged
// by the real kubectl: the first apply creates the MachineDeployment after machine-controller's
// CRDs, and the simulated apiserver validates it against their schema; `config
// machinedeployments` prints the same object; the second plan is empty; a changed workerset is
// shown by plan and never applied; after an upgrade of the control plane,
// `apply --upgrade-machine-deployments` sets spec.template.spec.versions.kubelet; `reset`
// (--destroy-workers, KubeOne's default) deletes the MachineDeployment and waits for its Machine
// and Node to go before the host is reset.
// There is no cloud and no machine-controller here: this test plays machine-controller's part.
// It creates a MachineSet, a Machine (with machine-controller's finalizer) and that Machine's
// Node, owned by the MachineDeployment, and when the Machine is being deleted it deletes the
// Node and then lets the Machine go (removes the finalizer), as machine-controller does once
// the cloud instance is gone.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { PROVIDER_EXAMPLES } from '../../pkg/addons/testing/providers.js';
import { type Fleet, KUBESIM_BUNDLE_TEMPLATE, scenarioHooks, startFleet } from '../fleet/index.js';
import { KUBEONE_BIN, kubeone, kubeoneExpect } from '../lifecycle/cli.js';

const FROM = '1.35.1';
const TO = '1.36.0';
const run = promisify(execFile);
type Obj = Record<string, any>;

const POOL = {
  name: 'e2e-pool',
  replicas: 1,
  providerSpec: {
    annotations: { 'k8c.io/operating-system-profile': 'osp-ubuntu' },
    labels: { team: 'e2e' },
    taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }],
    sshPublicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2eOnlyExampleKey e2e@example'],
    operatingSystem: 'ubuntu',
    operatingSystemSpec: { distUpgradeOnBoot: false },
    cloudProviderSpec: { image: 'ubuntu-24.04', flavor: 'm1.small', securityGroups: ['e2e'], network: 'e2e-net' },
  },
};

describe('MachineDeployments of dynamicWorkers on a sandbox OpenStack cluster', function () {
  this.timeout(1_200_000);
  let fleet: Fleet;
  let dir: string;
  let manifestPath: string;
  let credentialsPath: string;
  let kubeconfigPath: string;
  let manifest: Obj;

  const kubectl = async (...args: string[]): Promise<Obj> => JSON.parse((await run('kubectl', ['--kubeconfig', kubeconfigPath, ...args, '-o', 'json'], { timeout: 60_000 })).stdout) as Obj;
  const kubectlRun = async (...args: string[]): Promise<string> => (await run('kubectl', ['--kubeconfig', kubeconfigPath, ...args], { timeout: 60_000 })).stdout;
  const applyObject = async (o: Obj): Promise<void> => {
    const file = path.join(dir, `${o.kind}-${o.metadata.name}.yaml`);
    writeFileSync(file, stringify(o));
    await kubectlRun('apply', '-f', file);
  };
  const k1 = (expected: number, ...args: string[]) => kubeoneExpect(expected, [...args, '-m', manifestPath, '-c', credentialsPath], dir);
  const write = (): void => writeFileSync(manifestPath, stringify(manifest));
  const md = (): Promise<Obj> => kubectl('-n', 'kube-system', 'get', 'machinedeployment', 'e2e-pool');

  before(async function () {
    for (const v of [FROM, TO]) if (!existsSync(KUBESIM_BUNDLE_TEMPLATE.replace('{arch}', 'amd64').replace('{version}', v))) this.skip();
    if (!existsSync(KUBEONE_BIN)) throw new Error(`${KUBEONE_BIN} is missing: run npm run build`);
    fleet = await startFleet({ controlPlanes: 1, workers: 0, kubernetesVersion: FROM });
    dir = path.dirname(fleet.manifestPath);
    manifest = parse(readFileSync(fleet.manifestPath, 'utf8')) as Obj;
    // machineController left unset: KubeOne's default with a provider (deploy: true).
    // The CSI driver is not what this test is about (e2e/addons/cloud-provider.e2e.ts): fewer objects, faster applies.
    manifest.cloudProvider = { ...structuredClone(PROVIDER_EXAMPLES.openstack.cloudProvider), disableBundledCSIDrivers: true };
    manifest.dynamicWorkers = [structuredClone(POOL)];
    manifestPath = path.join(dir, 'workers.yaml');
    write();
    credentialsPath = path.join(dir, 'credentials.yaml');
    writeFileSync(credentialsPath, stringify(PROVIDER_EXAMPLES.openstack.credentials), { mode: 0o600 });
  });
  scenarioHooks(() => fleet);

  it('the first apply creates the MachineDeployment after the CRDs; the apiserver accepts it; config machinedeployments prints the same; the second plan is empty', async () => {
    const planned = await k1(0, 'plan', '-o', 'json');
    const actions = (JSON.parse(planned.stdout) as { actions: { id: string; dependsOn: string[] }[] }).actions;
    const create = actions.find((a) => a.id === 'create-machine-deployments:cluster');
    expect(create, planned.stdout).to.not.equal(undefined);
    expect(create!.dependsOn).to.include('apply-addon:machinecontroller');
    await k1(0, 'apply', '-y');
    kubeconfigPath = path.join(dir, 'admin.conf');
    writeFileSync(kubeconfigPath, (await k1(0, 'kubeconfig')).stdout, { mode: 0o600 });

    const live = await md();
    // KubeOne's rendering (pkg/templates/machinecontroller/machines.go), checked by field.
    expect(live.metadata.annotations).to.deep.equal({ 'k8c.io/operating-system-profile': 'osp-ubuntu' });
    expect(live.spec).to.deep.include({ replicas: 1, minReadySeconds: 0, selector: { matchLabels: { workerset: 'e2e-pool' } } });
    expect(live.spec.strategy).to.deep.equal({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(live.spec.template.metadata.labels).to.deep.equal({ team: 'e2e', workerset: 'e2e-pool' });
    expect(live.spec.template.spec.metadata.labels).to.deep.equal({ team: 'e2e', workerset: 'e2e-pool' });
    expect(live.spec.template.spec.taints).to.deep.equal(POOL.providerSpec.taints);
    expect(live.spec.template.spec.versions).to.deep.equal({ kubelet: FROM });
    expect(live.spec.template.spec.providerSpec.value).to.deep.equal({
      cloudProviderSpec: POOL.providerSpec.cloudProviderSpec,
      sshPublicKeys: POOL.providerSpec.sshPublicKeys,
      operatingSystem: 'ubuntu',
      operatingSystemSpec: { distUpgradeOnBoot: false },
      cloudProvider: 'openstack',
    });

    const printed = parseAllDocuments((await k1(0, 'config', 'machinedeployments')).stdout).map((d) => d.toJS() as Obj).filter(Boolean);
    expect(printed.map((o) => [o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name])).to.deep.equal([['cluster.k8s.io/v1alpha1', 'MachineDeployment', 'kube-system', 'e2e-pool']]);
    expect(printed[0]!.spec).to.deep.equal(live.spec);

    const plan = await kubeone(['plan', '-m', manifestPath, '-c', credentialsPath, '--detailed-exitcode'], dir);
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).to.equal(0);
    expect(plan.stdout + plan.stderr).to.not.match(/MachineDeployment/);
  });

  it("the apiserver validates MachineDeployments against the CRD's schema (a wrong field is refused)", async () => {
    const bad = path.join(dir, 'bad-md.yaml');
    writeFileSync(bad, stringify({ apiVersion: 'cluster.k8s.io/v1alpha1', kind: 'MachineDeployment', metadata: { name: 'bad', namespace: 'kube-system' }, spec: { replicas: 'two' } }));
    const refused = await run('kubectl', ['--kubeconfig', kubeconfigPath, 'apply', '-f', bad]).then(() => '', (e: { stderr: string }) => e.stderr);
    expect(refused).to.match(/MachineDeployment "bad" is invalid/).and.match(/spec\.replicas/);
  });

  it('a changed workerset is shown by plan and never applied (as KubeOne, existing MachineDeployments are left alone)', async () => {
    manifest.dynamicWorkers[0].replicas = 3;
    write();
    const plan = await kubeone(['plan', '-m', manifestPath, '-c', credentialsPath, '--detailed-exitcode'], dir);
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).to.equal(0);
    expect(plan.stdout + plan.stderr).to.match(/MachineDeployment kube-system\/e2e-pool differs from dynamicWorkers[^\n]*replace \/spec\/replicas 3/);
    await k1(0, 'apply', '-y');
    expect((await md()).spec.replicas).to.equal(1);
    manifest.dynamicWorkers[0].replicas = 1;
    write();
  });

  it('after the control plane is upgraded, apply --upgrade-machine-deployments sets the kubelet version; the next plan is empty', async () => {
    manifest.versions.kubernetes = TO;
    write();
    const apply = await k1(0, 'apply', '-y', '--upgrade-machine-deployments');
    expect(apply.stdout).to.match(/set the kubelet of 1 MachineDeployment\(s\) to 1\.36\.0/);
    expect((await md()).spec.template.spec.versions).to.deep.equal({ kubelet: TO });
    expect((await kubectl('get', 'nodes')).items.map((n: Obj) => n.status.nodeInfo.kubeletVersion)).to.deep.equal([`v${TO}`]);
    const plan = await kubeone(['plan', '-m', manifestPath, '-c', credentialsPath, '--detailed-exitcode'], dir);
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).to.equal(0);
  });

  it('reset deletes the MachineDeployment and waits for its Machine and Node (the test plays machine-controller), then resets the host', async () => {
    const owner = await md();
    const ref = (o: Obj) => [{ apiVersion: 'cluster.k8s.io/v1alpha1', kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, controller: true }];
    await applyObject({ apiVersion: 'cluster.k8s.io/v1alpha1', kind: 'MachineSet', metadata: { name: 'e2e-pool-5c7d', namespace: 'kube-system', ownerReferences: ref(owner) }, spec: { replicas: 1 } });
    const set = await kubectl('-n', 'kube-system', 'get', 'machineset', 'e2e-pool-5c7d');
    await applyObject({
      apiVersion: 'cluster.k8s.io/v1alpha1',
      kind: 'Machine',
      metadata: { name: 'e2e-pool-5c7d-x1', namespace: 'kube-system', ownerReferences: ref(set), finalizers: ['machine-delete-finalizer'] },
      spec: { providerSpec: owner.spec.template.spec.providerSpec, versions: owner.spec.template.spec.versions },
      // machine-controller's Machine CRD has no status subresource: the Node it made is written with it.
      status: { nodeRef: { kind: 'Node', name: 'e2e-pool-5c7d-x1' } },
    });
    await applyObject({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'e2e-pool-5c7d-x1', labels: { workerset: 'e2e-pool' } } });

    // machine-controller's part: a Machine being deleted loses its Node, then its finalizer.
    // (A failing kubectl call under load is retried, never taken for "gone".)
    let stop = false;
    const deleted: string[] = [];
    const getOrNull = async (...args: string[]): Promise<Obj | null> => {
      const out = await kubectlRun(...args, '--ignore-not-found', '-o', 'json');
      return out.trim() ? (JSON.parse(out) as Obj) : null;
    };
    const controller = (async () => {
      while (!stop) {
        try {
          const machine = await getOrNull('-n', 'kube-system', 'get', 'machine', 'e2e-pool-5c7d-x1');
          if (machine === null || machine.metadata.deletionTimestamp) {
            const node = await getOrNull('get', 'node', 'e2e-pool-5c7d-x1');
            if (node) deleted.push(`skip-eviction=${node.metadata.annotations?.['kubermatic.io/skip-eviction']}`);
            await kubectlRun('delete', 'node', 'e2e-pool-5c7d-x1', '--ignore-not-found');
            if (machine) await kubectlRun('-n', 'kube-system', 'patch', 'machine', 'e2e-pool-5c7d-x1', '--type=merge', '-p', '{"metadata":{"finalizers":null}}');
            deleted.push(machine ? 'machine' : 'machine gone first');
            return;
          }
        } catch {
          // the API is busy: look again
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    try {
      const reset = await k1(0, 'reset', '-y');
      expect(reset.stdout).to.match(/delete 1 MachineDeployment\(s\) and wait for 1 Machine\(s\) and their Nodes to go[\s\S]*\breset (?!removes)\S+/);
    } finally {
      stop = true;
      await controller;
    }
    // KubeOne annotates the Node so that machine-controller deletes its instance without draining.
    expect(deleted).to.deep.equal(['skip-eviction=true', 'machine']);
    expect((await fleet.exec('cp-1', 'test -e /etc/kubernetes/kubelet.conf')).exitCode).to.not.equal(0);
  });
});

// machine-controller's MachineDeployments in the plan, as KubeOne 1.14 handles them: created on
// the first install after the addons (--create-machine-deployments, default true); never changed
// afterwards, differences reported; --upgrade-machine-deployments sets their kubelet after the
// control planes; reset deletes them and waits for their Machines before any host (--destroy-workers).
import { expect } from 'chai';
import { comparableView, renderMachineDeployments } from '../machines/machine-deployments.js';
import type { MachineFacts } from '../snapshot/types.js';
import { computePlan } from './index.js';
import { addon, clusterConfiguration, desiredState, SnapshotBuilder } from './testing/snapshot-builder.js';
import type { DesiredState, PlanOptions } from './types.js';

const NOW = '2026-11-25T00:00:00Z';
const POOL = { name: 'demo-pool', replicas: 2, providerSpec: { operatingSystem: 'ubuntu', cloudProviderSpec: { image: 'ubuntu', flavor: 'm1.small' } } };

function want(version = '1.35.1', opts: { deploy?: boolean; replicas?: number } = {}): DesiredState {
  const d = desiredState({ version, controlPlanes: ['cp-1'], workers: ['w-1'], addons: [addon('machinecontroller', [{ kind: 'ConfigMap', name: 'mc' }])] });
  Object.assign(d.cluster.cluster, { cloudProvider: { openstack: {} }, machineController: { deploy: opts.deploy ?? true }, dynamicWorkers: [{ ...POOL, replicas: opts.replicas ?? 2 }] });
  return d;
}

/** The MachineDeployment as the probe reads it once created for `version`. */
function live(d: DesiredState, version: string, edit: (m: MachineFacts) => void = () => undefined): MachineFacts {
  const md = renderMachineDeployments({ ...d.cluster.cluster, versions: { kubernetes: version } })[0]!;
  const m: MachineFacts = { crds: true, deployments: [{ name: 'demo-pool', kubelet: version, deleting: false, object: comparableView(md) }], machineSets: ['demo-pool-abc'], machines: [{ name: 'demo-pool-abc-1', node: 'demo-pool-abc-1' }] };
  edit(m);
  return m;
}

function existing(version: string, machines: MachineFacts | undefined, leader: string | null = 'cp-1'): SnapshotBuilder {
  return new SnapshotBuilder()
    .convergedHost('cp-1', 'controlPlane', { version })
    .convergedHost('w-1', 'staticWorker', { version })
    .cluster({ leader, clusterConfiguration: clusterConfiguration() })
    .addonObjects(addon('machinecontroller', [{ kind: 'ConfigMap', name: 'mc' }]))
    .editKube((k) => {
      if (machines) k.machines = machines;
    });
}
const fresh = (): SnapshotBuilder => new SnapshotBuilder().host('cp-1', 'controlPlane').host('w-1', 'staticWorker');

interface Case {
  name: string;
  desired: () => DesiredState;
  snapshot: () => SnapshotBuilder;
  options?: Partial<PlanOptions>;
  /** The machine actions: id -> [op, params] of their one step. */
  actions: Record<string, [string, unknown]>;
  /** The ids each machine action waits for (of kinds given). */
  after?: Record<string, string[]>;
  warning?: RegExp;
  refusal?: RegExp;
  /** The plan's object lines of an action (id -> `change kind/name patch`). */
  objects?: Record<string, string[]>;
}

const MACHINE_KINDS = ['create-machine-deployments', 'upgrade-machine-deployments', 'destroy-workers'];

const CASES: Case[] = [
  {
    name: 'first install: created after the addons (machine-controller\'s CRDs)',
    desired: () => want(),
    snapshot: fresh,
    actions: { 'create-machine-deployments:cluster': ['cluster.machineDeployments.create', { names: ['demo-pool'] }] },
    after: { 'create-machine-deployments:cluster': ['apply-addon:machinecontroller'] },
    objects: { 'create-machine-deployments:cluster': ['+ MachineDeployment/demo-pool'] },
  },
  { name: 'first install with --create-machine-deployments=false: none, and the plan says so', desired: () => want(), snapshot: fresh, options: { createMachineDeployments: false }, actions: {}, warning: /--create-machine-deployments=false.*demo-pool/ },
  { name: 'existing cluster, MachineDeployment as rendered: nothing', desired: () => want(), snapshot: () => existing('1.35.1', live(want(), '1.35.1')), actions: {} },
  {
    name: 'existing cluster, replicas changed in the manifest: shown, never applied',
    desired: () => want('1.35.1', { replicas: 5 }),
    snapshot: () => existing('1.35.1', live(want(), '1.35.1')),
    actions: {},
    warning: /MachineDeployment kube-system\/demo-pool differs from dynamicWorkers \(left as it is.*replace \/spec\/replicas 5/,
  },
  { name: 'existing cluster without the MachineDeployment: reported, not recreated (KubeOne creates them on the first install only)', desired: () => want(), snapshot: () => existing('1.35.1', live(want(), '1.35.1', (m) => (m.deployments = []))), actions: {}, warning: /demo-pool of dynamicWorkers does not exist/ },
  {
    name: '--upgrade-machine-deployments after a control-plane upgrade: kubelet set after the upgrades',
    desired: () => want('1.36.0'),
    snapshot: () => existing('1.35.1', live(want(), '1.35.1')),
    options: { upgradeMachineDeployments: true },
    actions: { 'upgrade-machine-deployments:cluster': ['cluster.machineDeployments.upgrade', { names: ['demo-pool'], kubelet: '1.36.0' }] },
    after: { 'upgrade-machine-deployments:cluster': ['upgrade-control-plane:cp-1:1.36.0', 'upgrade-worker:w-1:1.36.0'] },
    objects: { 'upgrade-machine-deployments:cluster': ['~ MachineDeployment/demo-pool replace /spec/template/spec/versions/kubelet "1.36.0"'] },
  },
  { name: 'an upgrade without --upgrade-machine-deployments: the kubelet difference is reported', desired: () => want('1.36.0'), snapshot: () => existing('1.35.1', live(want(), '1.35.1')), actions: {}, warning: /--upgrade-machine-deployments sets the kubelet version.*\/spec\/template\/spec\/versions\/kubelet "1.36.0"/ },
  { name: '--upgrade-machine-deployments: one being deleted is left alone', desired: () => want('1.35.1'), snapshot: () => existing('1.35.1', live(want(), '1.34.3', (m) => (m.deployments[0]!.deleting = true))), options: { upgradeMachineDeployments: true }, actions: {} },
  {
    name: 'reset: MachineDeployments deleted and their Machines awaited before any host',
    desired: () => want(),
    snapshot: () => existing('1.35.1', live(want(), '1.35.1')),
    options: { reset: true, destroyWorkers: true },
    actions: { 'destroy-workers:cluster': ['cluster.workers.destroy', { machineDeployments: ['demo-pool'], machines: ['demo-pool-abc-1'] }] },
  },
  { name: 'reset --destroy-workers=false: the machines left running are named', desired: () => want(), snapshot: () => existing('1.35.1', live(want(), '1.35.1')), options: { reset: true, destroyWorkers: false }, actions: {}, warning: /3 machine-controller object\(s\) stay.*MachineDeployment demo-pool.*--destroy-workers=false/ },
  { name: 'reset with machineController.deploy false (KubeOne skips the step): named too', desired: () => want('1.35.1', { deploy: false }), snapshot: () => existing('1.35.1', live(want(), '1.35.1')), options: { reset: true, destroyWorkers: true }, actions: {}, warning: /machineController.deploy is false/ },
  { name: 'reset without machine-controller\'s CRDs: nothing', desired: () => want(), snapshot: () => existing('1.35.1', { crds: false, deployments: [], machineSets: [], machines: [] }), options: { reset: true, destroyWorkers: true }, actions: {} },
  { name: 'reset when the API does not answer: refused (the machines cannot be listed)', desired: () => want(), snapshot: () => existing('1.35.1', undefined, null), options: { reset: true, destroyWorkers: true }, actions: {}, refusal: /cannot list the MachineDeployments/ },
];

describe('plan: MachineDeployments of dynamicWorkers', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const plan = computePlan(c.desired(), c.snapshot().build(), { now: NOW, ...c.options });
      const machine = plan.actions.filter((a) => MACHINE_KINDS.includes(a.kind));
      expect(Object.fromEntries(machine.map((a) => [a.id, [a.steps[0]!.op, a.steps[0]!.params]]))).to.deep.equal(c.actions);
      for (const [id, deps] of Object.entries(c.after ?? {})) expect(plan.actions.find((a) => a.id === id)!.dependsOn).to.include.members(deps);
      for (const [id, lines] of Object.entries(c.objects ?? {})) {
        const objects = plan.actions.find((a) => a.id === id)!.objects ?? [];
        expect(objects.map((o) => [`${o.change} ${o.kind}/${o.name}`, ...(o.patch ?? []).map((p) => `${p.op} ${p.path} ${JSON.stringify(p.value)}`)].join(' '))).to.deep.equal(lines);
        for (const o of objects) expect([o.apiVersion, o.namespace]).to.deep.equal(['cluster.k8s.io/v1alpha1', 'kube-system']);
      }
      if (c.warning) expect(plan.warnings.join('\n')).to.match(c.warning);
      else expect(plan.warnings.filter((w) => /MachineDeployment|machine-controller/.test(w))).to.deep.equal([]);
      if (c.refusal) expect(plan.refusals.map((r) => r.message).join('\n')).to.match(c.refusal);
      const destroy = plan.actions.findIndex((a) => a.kind === 'destroy-workers');
      if (destroy >= 0) {
        for (const a of plan.actions.filter((x) => x.kind === 'reset-host')) expect(plan.actions.indexOf(a)).to.be.greaterThan(destroy);
        expect(plan.actions.find((x) => x.kind === 'reset-host')!.dependsOn).to.include('destroy-workers:cluster');
      }
    });
  }
});

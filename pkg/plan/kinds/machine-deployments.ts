// create-machine-deployments / upgrade-machine-deployments: machine-controller's
// MachineDeployments of dynamicWorkers, as KubeOne 1.14 handles them.
// - Created on the first install only (`apply --create-machine-deployments`, default true),
//   after the addons (machine-controller's CRDs and webhook). KubeOne does not manage them
//   afterwards, and neither does this tool: where a live one differs from what the manifest
//   renders, the plan says what differs (a warning with the changes, secrets masked), and
//   nothing changes it; a missing one is reported, not recreated.
// - `--upgrade-machine-deployments` sets the kubelet version of every MachineDeployment in
//   kube-system (KubeOne's rule) to versions.kubernetes, after the control planes' upgrades.
import { objectPatch } from '../../addons/diff.js';
import { MACHINE_API_VERSION, MACHINE_NAMESPACE, comparableView, renderMachineDeployments } from '../../machines/machine-deployments.js';
import type { ObjectDiff } from '../types.js';
import type { PlanContext } from '../context.js';
import type { ActionKindModule } from '../kind.js';
import { listed } from './remove-cloud-resources.js';
import { finalControlPlaneUpgrade } from './upgrade.js';
import { step } from './steps.js';

export const CREATE_ID = 'create-machine-deployments:cluster';
export const UPGRADE_ID = 'upgrade-machine-deployments:cluster';

const KUBELET_PATH = '/spec/template/spec/versions/kubelet';

/** The plan's per-object line for a MachineDeployment (the object view shows them like addon objects). */
const machineDeployment = (name: string, change: ObjectDiff['change'], patch?: ObjectDiff['patch']): ObjectDiff => ({
  apiVersion: MACHINE_API_VERSION,
  kind: 'MachineDeployment',
  namespace: MACHINE_NAMESPACE,
  name,
  change,
  ...(patch ? { patch } : {}),
});
/** One line per change, values shown as JSON (masked already). */
function describePatch(patch: NonNullable<ReturnType<typeof objectPatch>>): string {
  return patch.map((op) => `${op.op} ${op.path}${op.value === undefined ? '' : ` ${JSON.stringify(op.value)}`}`).join('; ');
}

/** Reconcile: each MachineDeployment of the manifest that is missing or differs, said once (never changed). */
function reportDrift(ctx: PlanContext): void {
  const live = ctx.kube?.machines;
  if (!live?.crds) return;
  for (const md of renderMachineDeployments(ctx.desired.cluster.cluster)) {
    const name = `${MACHINE_NAMESPACE}/${md.metadata.name}`;
    const found = live.deployments.find((d) => d.name === md.metadata.name);
    // Being deleted: machine-controller's business now.
    if (found?.deleting) continue;
    if (!found) {
      ctx.b.warn(`MachineDeployment ${name} of dynamicWorkers does not exist; kubeone creates MachineDeployments on the first install only (as KubeOne): create it with \`kubeone config machinedeployments | kubectl apply -f -\``);
      continue;
    }
    // --upgrade-machine-deployments sets the kubelet in this plan (upgradeMachineDeployments below).
    const upgrading = ctx.options.upgradeMachineDeployments === true;
    const patch = (objectPatch(found.object, comparableView(md)) ?? []).filter((p) => !(upgrading && p.path === KUBELET_PATH));
    if (patch.length === 0) continue;
    ctx.b.warn(
      `MachineDeployment ${name} differs from dynamicWorkers (left as it is: kubeone, as KubeOne, does not change existing MachineDeployments${patch.some((p) => p.path === KUBELET_PATH) ? '; apply --upgrade-machine-deployments sets the kubelet version' : ''}): ${describePatch(patch)}`,
    );
  }
}

export const createMachineDeployments: ActionKindModule<'create-machine-deployments'> = {
  name: 'MachineDeployments of dynamicWorkers: created on the first install; differences shown, never applied',
  when: ['create', 'reconcile'],
  kinds: { 'create-machine-deployments': { change: '+', serial: true, disruptive: false } },
  plan(ctx) {
    if (ctx.mode === 'reconcile') {
      reportDrift(ctx);
      return [];
    }
    const names = renderMachineDeployments(ctx.desired.cluster.cluster).map((md) => md.metadata.name);
    if (names.length === 0) return [];
    if (ctx.options.createMachineDeployments === false) {
      ctx.b.warn(`--create-machine-deployments=false: the MachineDeployments of dynamicWorkers (${listed(names)}) are not created`);
      return [];
    }
    return [
      {
        kind: 'create-machine-deployments',
        id: CREATE_ID,
        hosts: [],
        title: `create ${names.length} MachineDeployment(s) in ${MACHINE_NAMESPACE}`,
        reason: `first install: dynamicWorkers ${listed(names)} (machine-controller creates their machines; kubeone does not change them afterwards)`,
        // After the addons: machine-controller's CRDs and webhook must exist.
        dependsOn: ctx.b.planned('apply-addon').map((a) => a.id),
        objects: names.map((name) => machineDeployment(name, '+')),
        steps: [step('cluster.machineDeployments.create', undefined, 'create the MachineDeployments that do not exist', { names })],
      },
    ];
  },
};

export const upgradeMachineDeployments: ActionKindModule<'upgrade-machine-deployments'> = {
  name: '--upgrade-machine-deployments: kubelet version of the MachineDeployments, after the control planes',
  when: ['reconcile'],
  kinds: { 'upgrade-machine-deployments': { change: '~', serial: true, disruptive: true } },
  plan(ctx) {
    if (!ctx.options.upgradeMachineDeployments) return [];
    const live = ctx.kube?.machines;
    if (!live) {
      ctx.b.warn('--upgrade-machine-deployments: the MachineDeployments could not be read; none is upgraded');
      return [];
    }
    const names = live.deployments.filter((d) => !d.deleting && d.kubelet !== ctx.version).map((d) => d.name);
    if (names.length === 0) return [];
    return [
      {
        kind: 'upgrade-machine-deployments',
        id: UPGRADE_ID,
        hosts: [],
        title: `set the kubelet of ${names.length} MachineDeployment(s) to ${ctx.version}`,
        reason: `--upgrade-machine-deployments: ${listed(names)} run another kubelet than versions.kubernetes ${ctx.version} (machine-controller replaces their machines)`,
        dependsOn: [...finalControlPlaneUpgrade(ctx), ...ctx.b.planned('upgrade-worker').map((a) => a.id)],
        objects: names.map((name) => machineDeployment(name, '~', [{ op: 'replace', path: KUBELET_PATH, value: ctx.version }])),
        steps: [step('cluster.machineDeployments.upgrade', undefined, `set spec.template.spec.versions.kubelet to ${ctx.version}`, { names, kubelet: ctx.version })],
      },
    ];
  },
};

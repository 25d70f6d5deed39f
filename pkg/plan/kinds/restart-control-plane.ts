// restart-control-plane: a control-plane component reads its files (audit policy, admission
// configuration, CA bundle) only at start. When one changed after the running component
// started (this plan writes it, or an earlier run wrote it and stopped), the component is
// restarted, one control plane at a time, unless something later in the plan restarts it anyway
// (a re-render that changes its static pod, an upgrade, a certificate renewal, an encryption
// phase). The encryption configuration's restarts belong to the encryption phases.
import { ENCRYPTION_DIR } from '../../encryption/config.js';
import { changedSinceStart, componentReading, RESTARTABLE_COMPONENTS, type RestartableComponent } from '../../kubeadm/control-plane-files.js';
import type { PlanContext } from '../context.js';
import { driftedFiles } from '../context.js';
import type { HostView } from '../host-state.js';
import type { ActionDraft, ActionKindModule } from '../kind.js';
import type { Step } from '../types.js';
import { componentDrifts } from './mount-drift.js';
import { nodeNameOf, step } from './steps.js';
import * as writeFiles from './write-control-plane-files.js';

export const idOf = (host: string): string => `restart-control-plane:${host}`;

const SECTION: Record<RestartableComponent, string> = { 'kube-apiserver': 'apiServer', 'kube-controller-manager': 'controllerManager' };

/** Whether an action of this plan restarts the component on the host (`after`: only those ordered after its file write). */
function restartedByPlan(ctx: PlanContext, host: HostView, component: RestartableComponent, after: boolean): boolean {
  const reconfigures = ctx.b.planned('reconfigure-control-plane', host.name).length > 0 && componentDrifts(ctx.kube?.clusterConfiguration ?? null, ctx.desired.clusterConfiguration, SECTION[component]);
  if (reconfigures) return true;
  const steps = ctx.b.all().flatMap((a) => a.steps).filter((s) => s.host === host.name);
  if (steps.some((s) => s.op === 'controlplane.restart' && s.params.component === component)) return true;
  if (after) return false;
  return steps.some((s) => s.op === 'kubeadm.upgrade.apply' || (s.op === 'kubeadm.upgrade.node' && !s.params.reconfigure) || s.op === 'kubeadm.certs.renew');
}

function needs(ctx: PlanContext, host: HostView, component: RestartableComponent): string | null {
  const started = ctx.kube?.started?.[component]?.[host.name];
  const stale = changedSinceStart(host.facts?.inputsModified, started, component).filter((p) => !p.startsWith(`${ENCRYPTION_DIR}/`));
  const written = ctx.b.get(writeFiles.idOf(host.name)) ? driftedFiles(ctx, host, 'control-plane').filter((p) => componentReading(p) === component) : [];
  if (written.length > 0 && !restartedByPlan(ctx, host, component, true)) return `${written.join(', ')} changes in this plan`;
  if (stale.length > 0 && !restartedByPlan(ctx, host, component, false)) return `${stale.join(', ')} changed after the running ${component} started (${started})`;
  return null;
}

export const restartControlPlane: ActionKindModule<'restart-control-plane'> = {
  name: 'restart the control-plane components whose files changed, one at a time',
  when: ['reconcile'],
  kinds: { 'restart-control-plane': { change: '~', serial: true, disruptive: false } },
  plan(ctx) {
    const out: ActionDraft<'restart-control-plane'>[] = [];
    let previous: string[] = [];
    const leader = ctx.leader!;
    for (const host of [leader, ...ctx.controlPlanes.filter((h) => h !== leader)]) {
      if (!host.reachable || !host.cpInitialized || !ctx.staying.includes(host)) continue;
      const reasons: string[] = [];
      const steps: Step[] = [];
      for (const component of RESTARTABLE_COMPONENTS) {
        const why = needs(ctx, host, component);
        if (!why) continue;
        reasons.push(`${component}: ${why}`);
        steps.push(step('controlplane.restart', host.name, `restart ${component} on ${host.name}`, { component, node: nodeNameOf(host) }, component));
      }
      if (steps.length === 0) continue;
      const touching = ctx.b.all().filter((a) => a.hosts.includes(host.name) && a.kind !== 'restart-control-plane').map((a) => a.id);
      out.push({ kind: 'restart-control-plane', id: idOf(host.name), hosts: [host.name], title: `restart ${steps.map((s) => (s.params as { component: string }).component).join(' and ')} on ${host.name}`, reason: reasons.join('; '), dependsOn: [...previous, ...touching], steps });
      previous = [idOf(host.name)];
    }
    return out;
  },
};

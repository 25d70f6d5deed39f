// install-binaries: kubeadm, kubelet and kubectl at the version a host is about to init or join
// with; and, on a joined host at the desired version, a kubeadm or kubectl that went missing
// (removed by hand, an interrupted install). Joined hosts change versions through the upgrade
// actions, never here.
import { ALL_COMPONENTS } from '../../scripts/binaries.js';
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import { type ActionDraft, type ActionKindModule, EVERY_CONVERGE_MODE } from '../kind.js';
import * as prerequisites from './install-prerequisites.js';
import { installBinariesStep } from './steps.js';

export const idOf = (host: string, version: string): string => `install-binaries:${host}:${version}`;

type Draft = ActionDraft<'install-binaries'>;

const FORCED = 'installing the binaries again was requested (--force-install)';

/** A host about to init or join: every binary at the desired version. */
function forJoin(ctx: PlanContext, host: HostView): Draft | null {
  const wrong = ALL_COMPONENTS.filter((c) => host.binaries[c] !== ctx.version);
  const force = ctx.options.forceInstall === true;
  if (wrong.length === 0 && !force) return null;
  const found = wrong.length === 0 ? `${FORCED}, they are at ${ctx.version}` : wrong.map((c) => (host.binaries[c] ? `${c} ${host.binaries[c]}` : `no ${c}`)).join(', ');
  const step = installBinariesStep(host.name, ctx.version, ALL_COMPONENTS, undefined, force);
  step.description += ` from the ${ctx.desired.cluster.cluster.kubernetesBinaries?.bundle ? 'binaries bundle' : 'package repository'}`;
  return {
    kind: 'install-binaries',
    id: idOf(host.name, ctx.version),
    hosts: [host.name],
    title: `install kubeadm, kubelet, kubectl ${ctx.version} on ${host.name}`,
    reason: `${found} on ${host.name}, versions.kubernetes is ${ctx.version}`,
    dependsOn: [prerequisites.idOf(host.name)],
    steps: [step],
  };
}

/**
 * A joined host at the desired version: put back the kubeadm or kubectl that went missing (the
 * kubelet is the upgrades' business); with --force-install, all three again.
 */
function missingTools(ctx: PlanContext, host: HostView): Draft | null {
  if (!host.reachable || !host.joined || host.version !== ctx.version) return null;
  if (ctx.options.forceInstall === true) {
    return {
      kind: 'install-binaries',
      id: idOf(host.name, ctx.version),
      change: '~',
      hosts: [host.name],
      title: `install kubeadm, kubelet, kubectl ${ctx.version} again on ${host.name}`,
      reason: `${FORCED} on ${host.name}`,
      steps: [installBinariesStep(host.name, ctx.version, ALL_COMPONENTS, undefined, true)],
    };
  }
  const wrong = (['kubeadm', 'kubectl'] as const).filter((c) => host.binaries[c] !== ctx.version);
  if (wrong.length === 0) return null;
  const found = wrong.map((c) => (host.binaries[c] ? `${c} ${host.binaries[c]}` : `no ${c}`)).join(', ');
  return {
    kind: 'install-binaries',
    id: idOf(host.name, ctx.version),
    change: '~',
    hosts: [host.name],
    title: `install ${wrong.join(', ')} ${ctx.version} on ${host.name}`,
    reason: `${found} on ${host.name}, versions.kubernetes is ${ctx.version}`,
    steps: [installBinariesStep(host.name, ctx.version, wrong)],
  };
}

export const installBinaries: ActionKindModule<'install-binaries'> = {
  name: 'install the kube binaries',
  when: EVERY_CONVERGE_MODE,
  kinds: { 'install-binaries': { change: '+', serial: false, disruptive: false } },
  plan(ctx) {
    const initHost = ctx.mode === 'create' ? ctx.leader : null;
    const joining = ctx.hosts.filter((h) => h.reachable && (ctx.joining.has(h.name) || h === initHost)).flatMap((h) => forJoin(ctx, h) ?? []);
    const tools = ctx.mode === 'reconcile' ? ctx.staying.flatMap((h) => missingTools(ctx, h) ?? []) : [];
    return [...joining, ...tools];
  },
};

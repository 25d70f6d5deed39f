// install-binaries: kubeadm, kubelet and kubectl at the version a host is about to init or join with.
// Joined hosts change versions through the upgrade actions, never here.
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { Step } from '../types.js';
import * as prerequisites from './install-prerequisites.js';
import { ALL_BINARIES, installBinariesStep } from './steps.js';

export function needed(host: HostView, version: string): string | null {
  if (!host.reachable) return null;
  const wrong = ALL_BINARIES.filter((c) => host.binaries[c] !== version);
  if (wrong.length === 0) return null;
  const found = wrong.map((c) => (host.binaries[c] ? `${c} ${host.binaries[c]}` : `no ${c}`)).join(', ');
  return `${found} on ${host.name}, versions.kubernetes is ${version}`;
}

export function steps(ctx: PlanContext, host: HostView, version: string): Step[] {
  const source = ctx.desired.cluster.cluster.kubernetesBinaries?.bundle ? 'binaries bundle' : 'package repository';
  const s = installBinariesStep(host.name, version, ALL_BINARIES);
  s.description += ` from the ${source}`;
  return [s];
}

export const idOf = (host: string, version: string): string => `install-binaries:${host}:${version}`;

export function plan(ctx: PlanContext, host: HostView): string | undefined {
  const reason = needed(host, ctx.version);
  if (reason === null) return undefined;
  return ctx.b.add({
    id: idOf(host.name, ctx.version),
    kind: 'install-binaries',
    change: '+',
    hosts: [host.name],
    title: `install kubeadm, kubelet, kubectl ${ctx.version} on ${host.name}`,
    reason,
    dependsOn: ctx.b.deps(prerequisites.idOf(host.name)),
    disruptive: false,
    serial: false,
    steps: steps(ctx, host, ctx.version),
  }).id;
}

/**
 * A joined host at the desired version whose kubeadm or kubectl is missing or at another
 * version (removed by hand, an interrupted install): put them back. The kubelet is left to
 * the upgrade actions, which also restart it.
 */
export function planTools(ctx: PlanContext, host: HostView): void {
  if (!host.reachable || !host.joined || host.version !== ctx.version) return;
  const wrong = (['kubeadm', 'kubectl'] as const).filter((c) => host.binaries[c] !== ctx.version);
  if (wrong.length === 0) return;
  const found = wrong.map((c) => (host.binaries[c] ? `${c} ${host.binaries[c]}` : `no ${c}`)).join(', ');
  ctx.b.add({
    id: idOf(host.name, ctx.version),
    kind: 'install-binaries',
    change: '~',
    hosts: [host.name],
    title: `install ${wrong.join(', ')} ${ctx.version} on ${host.name}`,
    reason: `${found} on ${host.name}, versions.kubernetes is ${ctx.version}`,
    disruptive: false,
    serial: false,
    steps: [installBinariesStep(host.name, ctx.version, wrong)],
  });
}

// configure-kubelet: kubelet flags/config drift on a joined host without a version change.
// kubeadm writes these files at join, so hosts that are not joined yet are left to the join.
import { describeFileDrift, driftedFiles, isKubeletPath, type PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { Step } from '../types.js';
import { step } from './steps.js';

export function needed(ctx: PlanContext, host: HostView): string | null {
  if (!host.reachable || !host.joined) return null;
  const drifted = driftedFiles(ctx, host, isKubeletPath);
  if (drifted.length === 0) return null;
  return `${drifted.map((p) => describeFileDrift(ctx, host, p)).join('; ')} (kubeletConfig / host kubelet settings)`;
}

export function steps(host: HostView): Step[] {
  return [
    step('host.kubelet.configure', host.name, `rewrite the kubelet flags and configuration on ${host.name}`),
    step('host.kubelet.restart', host.name, `restart kubelet on ${host.name}`),
  ];
}

export const idOf = (host: string): string => `configure-kubelet:${host}`;

/** `after`: actions on the host (e.g. its upgrade) that must finish first. */
export function plan(ctx: PlanContext, host: HostView, after: string[] = []): void {
  const reason = needed(ctx, host);
  if (reason === null) return;
  ctx.b.add({
    id: idOf(host.name),
    kind: 'configure-kubelet',
    change: '~',
    hosts: [host.name],
    title: `reconfigure kubelet on ${host.name}`,
    reason,
    dependsOn: ctx.b.deps(...after),
    disruptive: false,
    serial: host.role === 'controlPlane',
    steps: steps(host),
  });
}

// configure-kubelet: kubelet flags/config drift on a joined host without a version change.
// kubeadm writes these files at join, so hosts that are not joined yet are left to the join,
// and an upgrade rewrites them itself.
import type { PlanContext } from '../context.js';
import { describeFileDrift, driftedFiles } from '../context.js';
import type { HostView } from '../host-state.js';
import type { ActionKindModule } from '../kind.js';
import { step } from './steps.js';
import { lastUpgradeOf } from './upgrade.js';

export const idOf = (host: string): string => `configure-kubelet:${host}`;

/** Degraded (an existing cluster): every host that is not joining; reconcile: hosts that stay and are not upgraded. */
function candidates(ctx: PlanContext): HostView[] {
  if (ctx.mode === 'degraded') return ctx.clusterExists ? ctx.hosts.filter((h) => !ctx.joining.has(h.name)) : [];
  return ctx.staying.filter((h) => lastUpgradeOf(ctx, h) === undefined);
}

export const configureKubelet: ActionKindModule<'configure-kubelet'> = {
  name: 'reconfigure kubelet',
  when: ['reconcile', 'degraded'],
  kinds: { 'configure-kubelet': { change: '~', serial: 'on-control-planes', disruptive: false } },
  plan: (ctx) =>
    candidates(ctx).flatMap((host) => {
      if (!host.reachable || !host.joined) return [];
      const drifted = driftedFiles(ctx, host, 'kubelet');
      if (drifted.length === 0) return [];
      return {
        kind: 'configure-kubelet' as const,
        id: idOf(host.name),
        hosts: [host.name],
        title: `reconfigure kubelet on ${host.name}`,
        reason: `${drifted.map((p) => describeFileDrift(ctx, host, p)).join('; ')} (kubeletConfig / host kubelet settings)`,
        steps: [
          step('host.kubelet.configure', host.name, `rewrite the kubelet flags and configuration on ${host.name}`),
          step('host.kubelet.restart', host.name, `restart kubelet on ${host.name}`),
        ],
      };
    }),
};

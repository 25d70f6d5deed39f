// reconfigure-control-plane: apiserver / controller-manager / scheduler / etcd flags in the
// manifest differ from the ClusterConfiguration stored in the cluster. Each control plane
// re-renders its static pods, one at a time, leader first.
import { COMPONENT_PATHS, normalizeExtraArgs } from '../../kubeadm/cluster-configuration.js';
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { ActionDraft, ActionKindModule } from '../kind.js';
import type { Step } from '../types.js';
import * as configureKubelet from './configure-kubelet.js';
import { joinOf } from './join-of.js';
import { step } from './steps.js';
import { finalControlPlaneUpgrade, lastUpgradeOf, upgradeUploadsConfig } from './upgrade.js';

// Flags compared per component (pkg/kubeadm COMPONENT_PATHS).
const COMPONENTS: [label: string, path: readonly string[]][] = Object.values(COMPONENT_PATHS).map((c) => [`${c.label}.extraArgs`, c.args]);

export { normalizeExtraArgs };

function dig(obj: Record<string, unknown> | null, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return cur;
}

/** Human descriptions of every flag that differs, e.g. `apiServer.extraArgs oidc-issuer-url: unset in the cluster, manifest wants https://idp`. */
export function flagDrift(live: Record<string, unknown> | null, desired: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [label, path] of COMPONENTS) {
    const have = normalizeExtraArgs(dig(live, path));
    const want = normalizeExtraArgs(dig(desired, path));
    for (const key of [...new Set([...Object.keys(have), ...Object.keys(want)])].sort()) {
      if (have[key] === want[key]) continue;
      if (!(key in have)) out.push(`${label} ${key}: unset in the cluster, the manifest sets ${want[key]}`);
      else if (!(key in want)) out.push(`${label} ${key}: ${have[key]} in the cluster, the manifest removes it`);
      else out.push(`${label} ${key}: ${have[key]} in the cluster, the manifest sets ${want[key]}`);
    }
  }
  return out;
}

function steps(host: HostView, version: string): Step[] {
  return [
    step('kubeadm.config.render', host.name, `render the kubeadm configuration for ${host.name}`),
    step('kubeadm.upgrade.node', host.name, `re-render the control-plane static pods on ${host.name}`, { version, reconfigure: true }),
    // `kubeadm upgrade node` also rewrites /var/lib/kubelet/config.yaml from kube-system/kubelet-config.
    step('host.kubelet.configure', host.name, `write the kubelet flags and configuration on ${host.name}`),
  ];
}

export const idOf = (host: string): string => `reconfigure-control-plane:${host}`;

/** Control planes that are (or are about to be) in the cluster, leader first. */
export function controlPlanesInCluster(ctx: PlanContext): HostView[] {
  const stays = new Set(ctx.staying);
  return [ctx.leader!, ...ctx.controlPlanes.filter((h) => h !== ctx.leader)].filter((h) => h.reachable && (joinOf(ctx, h) !== undefined || stays.has(h)));
}

export const reconfigureControlPlane: ActionKindModule<'reconfigure-control-plane'> = {
  name: 'reconfigure the control-plane components, one at a time',
  when: ['reconcile'],
  kinds: { 'reconfigure-control-plane': { change: '~', serial: true, disruptive: false } },
  plan(ctx) {
    const live = ctx.kube?.clusterConfiguration ?? null;
    if (live === null) {
      if (ctx.kube) ctx.b.warn('kube-system/kubeadm-config was not read; control-plane flags were not compared');
      return [];
    }
    const drift = flagDrift(live, ctx.desired.clusterConfiguration);
    if (drift.length === 0) return [];
    const out: ActionDraft<'reconfigure-control-plane'>[] = [];
    let previous: string[] = [];
    // An upgrade that stores the new ClusterConfiguration first renders the control planes it
    // upgrades, and every later join, with the new flags: only the others are re-rendered.
    const uploaded = upgradeUploadsConfig(ctx);
    const hosts = controlPlanesInCluster(ctx).filter((h) => !uploaded || (lastUpgradeOf(ctx, h) === undefined && joinOf(ctx, h) === undefined));
    for (const host of hosts) {
      out.push({
        kind: 'reconfigure-control-plane',
        id: idOf(host.name),
        hosts: [host.name],
        title: `reconfigure the control-plane components on ${host.name}`,
        reason: drift.join('; '),
        dependsOn: [...previous, ...finalControlPlaneUpgrade(ctx), ...[lastUpgradeOf(ctx, host), joinOf(ctx, host), configureKubelet.idOf(host.name)].filter((id): id is string => id !== undefined)],
        steps: steps(host, ctx.version),
      });
      previous = [idOf(host.name)];
    }
    return out;
  },
};

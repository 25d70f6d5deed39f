// apply-addon: each rendered addon is compared object by object with the live objects
// (pkg/addons/diff.ts, the same engine `addons list --live` uses). New objects are created,
// changed ones updated (with a JSON patch for `plan -v`), live objects no longer rendered are
// pruned in the same action. Addons are applied once the control plane is up: after the
// init of a new cluster, after the control-plane upgrades of an existing one.
import { type AddonDiff, diffAddons } from '../../addons/diff.js';
import { PATCH_ADDONS } from '../../addons/patch-addons.js';
import type { PlanContext } from '../context.js';
import type { ActionKindModule } from '../kind.js';
import type { ObjectDiff, ObjectRef, Step } from '../types.js';
import { initIds } from './init-control-plane.js';
import { step } from './steps.js';
import { finalControlPlaneUpgrade } from './upgrade.js';

export const idOf = (name: string): string => `apply-addon:${name}`;

const refOf = (o: ObjectRef): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name });
const label = (o: ObjectRef): string => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

const diffsByContext = new WeakMap<PlanContext, AddonDiff[]>();

/** Rendered addons against the live objects, once per plan; null when the addons were not rendered. */
export function addonDiffs(ctx: PlanContext): AddonDiff[] | null {
  if (ctx.desired.addons === null) return null;
  let diffs = diffsByContext.get(ctx);
  if (!diffs) {
    diffs = diffAddons(ctx.desired.addons, ctx.kube?.addonObjects ?? []);
    diffsByContext.set(ctx, diffs);
  }
  return diffs;
}

/** What addon actions wait for: the cluster's control plane at the desired version. */
export function addonsAfter(ctx: PlanContext): string[] {
  return ctx.mode === 'create' ? initIds(ctx) : finalControlPlaneUpgrade(ctx);
}

export function addonSteps(name: string, diffs: ObjectDiff[]): Step[] {
  const apply = diffs.filter((d) => d.change !== '-').map(refOf);
  const prune = diffs.filter((d) => d.change === '-').map(refOf);
  const out: Step[] = [];
  if (apply.length > 0) out.push(step('addon.apply', undefined, `apply ${apply.length} object(s) of addon ${name}`, { addon: name, objects: apply }));
  if (prune.length > 0) out.push(step('addon.prune', undefined, `delete ${prune.length} object(s) of addon ${name}`, { addon: name, objects: prune }));
  return out;
}

function summarize(diffs: ObjectDiff[]): string {
  const count = (c: string): number => diffs.filter((d) => d.change === c).length;
  const parts: string[] = [];
  const first = (c: string): string => diffs.filter((d) => d.change === c).slice(0, 3).map(label).join(', ');
  const more = (c: string): string => (count(c) > 3 ? ` and ${count(c) - 3} more` : '');
  if (count('+')) parts.push(`${count('+')} object(s) missing in the cluster (${first('+')}${more('+')})`);
  if (count('~')) parts.push(`${count('~')} object(s) differ from the rendered manifest (${first('~')}${more('~')})`);
  if (count('-')) parts.push(`${count('-')} live object(s) no longer rendered (${first('-')}${more('-')})`);
  return parts.join('; ');
}

/**
 * `kubeadm upgrade apply` writes kubeadm's CoreDNS objects again, undoing the patch addons
 * (coredns-patch): when the plan runs one, a patch addon that matches now is applied again
 * after the upgrades, so that the run ends converged.
 */
function kubeadmRewrites(ctx: PlanContext, diffs: AddonDiff[]): AddonDiff[] {
  const upgradeApply = ctx.b.planned('upgrade-control-plane').some((a) => a.steps.some((s) => s.op === 'kubeadm.upgrade.apply'));
  if (!upgradeApply) return [];
  return (ctx.desired.addons ?? [])
    .filter((a) => PATCH_ADDONS.has(a.name) && diffs.some((d) => d.addon === a.name && d.change === null))
    .map((a) => ({ addon: a.name, source: a.source, change: '~' as const, objects: a.objects.map((o) => ({ ...refOf(o), change: '~' as const })), rewrittenByKubeadm: true }));
}

export const applyAddon: ActionKindModule<'apply-addon'> = {
  name: 'install and update addons',
  when: ['create', 'reconcile'],
  kinds: { 'apply-addon': { change: '~', serial: false, disruptive: false } },
  plan(ctx) {
    const diffs = addonDiffs(ctx);
    if (diffs === null) {
      ctx.b.warn('addons were not rendered; addon drift was not checked');
      return [];
    }
    const live = ctx.kube?.addonObjects ?? [];
    const after = addonsAfter(ctx);
    const rewritten = kubeadmRewrites(ctx, diffs);
    return [...diffs.filter((d) => d.source !== undefined && d.change !== null), ...rewritten]
      .sort((a, b) => (a.addon < b.addon ? -1 : a.addon > b.addon ? 1 : 0))
      .map((d) => {
        const rendered = ctx.desired.addons!.find((a) => a.name === d.addon)!;
        // None of its objects live yet: an installation, not a change.
        const fresh = !live.some((o) => o.addon === d.addon);
        return {
          kind: 'apply-addon' as const,
          id: idOf(d.addon),
          ...(fresh ? { change: '+' as const } : {}),
          hosts: [],
          title: `${fresh ? 'install' : 'update'} addon ${d.addon}`,
          reason: fresh
            ? `addon ${d.addon} is enabled in the manifest and none of its ${rendered.objects.length} object(s) exist`
            : 'rewrittenByKubeadm' in d
              ? `kubeadm upgrade apply writes kubeadm's objects again (${d.objects.map(label).join(', ')}); the patch is applied again after it`
              : summarize(d.objects),
          dependsOn: after,
          steps: addonSteps(d.addon, d.objects),
          objects: d.objects,
        };
      });
  },
};

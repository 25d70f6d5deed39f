// apply-addon: each rendered addon is compared object by object with the live objects
// (pkg/addons/diff.ts, the same engine `addons list --live` uses). New objects are created,
// changed ones updated (with a JSON patch for `plan -v`), live objects no longer rendered are
// pruned in the same action when kubeone applied them (the ownership record). Addons are
// applied once the control plane is up: after the init of a new cluster, after the
// control-plane upgrades of an existing one. `kubeadm upgrade apply` writes CoreDNS and
// kube-proxy again, so the objects an addon sets on them are applied again after it.
import { type AddonDiff, type UnmanagedAddon, addonOwnership, compareAddons } from '../../addons/diff.js';
import { rewrittenByKubeadmUpgrade } from '../../addons/kubeadm-objects.js';
import type { PlanContext } from '../context.js';
import type { ActionKindModule } from '../kind.js';
import type { ObjectDiff, ObjectRef, RenderedAddon, Step } from '../types.js';
import { initIds } from './init-control-plane.js';
import { step } from './steps.js';
import { finalControlPlaneUpgrade } from './upgrade.js';

export const idOf = (name: string): string => `apply-addon:${name}`;

const refOf = (o: ObjectRef): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name });
const label = (o: ObjectRef): string => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

const diffsByContext = new WeakMap<PlanContext, { diffs: AddonDiff[]; unmanaged: UnmanagedAddon[] }>();

function compared(ctx: PlanContext): { diffs: AddonDiff[]; unmanaged: UnmanagedAddon[] } | null {
  if (ctx.desired.addons === null) return null;
  let result = diffsByContext.get(ctx);
  if (!result) {
    const ownership = addonOwnership(ctx.kube?.ownership, (ctx.desired.addonDeletions ?? []).map((d) => d.name));
    result = compareAddons(ctx.desired.addons, ctx.kube?.addonObjects ?? [], ownership);
    diffsByContext.set(ctx, result);
  }
  return result;
}

/** Rendered addons against the live objects, once per plan; null when the addons were not rendered. */
export function addonDiffs(ctx: PlanContext): AddonDiff[] | null {
  return compared(ctx)?.diffs ?? null;
}

/** Live labelled objects this tool neither renders nor applied: left alone (the plan lists them). */
export function unmanagedAddons(ctx: PlanContext): UnmanagedAddon[] {
  return compared(ctx)?.unmanaged ?? [];
}

/** The plan runs `kubeadm upgrade apply`, which writes CoreDNS and kube-proxy again. */
function kubeadmUpgradeApplyPlanned(ctx: PlanContext): boolean {
  return ctx.b.planned('upgrade-control-plane').some((a) => a.steps.some((s) => s.op === 'kubeadm.upgrade.apply'));
}

/**
 * The rendered objects `kubeadm upgrade apply` writes again that the diff found converged:
 * after the upgrade they differ, so they are applied again (the whole addon is applied).
 */
function rewrittenByUpgrade(ctx: PlanContext, diff: AddonDiff): ObjectDiff[] {
  if (!kubeadmUpgradeApplyPlanned(ctx)) return [];
  const addon = ctx.desired.addons!.find((a) => a.name === diff.addon);
  const live = new Set((ctx.kube?.addonObjects ?? []).map((o) => `${o.kind}/${o.namespace}/${o.name}`));
  return (addon?.objects ?? [])
    .filter((o) => rewrittenByKubeadmUpgrade(o) && live.has(`${o.kind}/${o.namespace}/${o.name}`))
    .filter((o) => !diff.objects.some((d) => d.kind === o.kind && d.namespace === o.namespace && d.name === o.name))
    .map((o) => ({ ...refOf(o), change: '~' as const }));
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
 * For each addon, the other addons whose CustomResourceDefinitions define kinds it renders
 * (default-storage-class's VolumeSnapshotClasses and csi-external-snapshotter's CRDs): its
 * objects can only be applied once those kinds are served.
 */
export function crdDependencies(addons: readonly RenderedAddon[]): Map<string, string[]> {
  const owner = new Map<string, string>();
  for (const a of addons) {
    for (const o of a.objects) {
      const spec = (o.object as { spec?: { group?: string; names?: { kind?: string } } } | undefined)?.spec;
      if (o.kind === 'CustomResourceDefinition' && spec?.group && spec.names?.kind) owner.set(`${spec.group}/${spec.names.kind}`, a.name);
    }
  }
  return new Map(
    addons.map((a) => {
      const needs = new Set(a.objects.map((o) => owner.get(`${o.apiVersion.split('/').slice(0, -1).join('/')}/${o.kind}`)).filter((n): n is string => n !== undefined && n !== a.name));
      return [a.name, [...needs].sort()];
    }),
  );
}

/** Names in an order where every addon comes after the addons it needs (else by name). */
function dependencyOrder(names: string[], needs: Map<string, string[]>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const dep of needs.get(n) ?? []) if (names.includes(dep)) visit(dep);
    out.push(n);
  };
  for (const n of [...names].sort()) visit(n);
  return out;
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
    const needs = crdDependencies(ctx.desired.addons!);
    const changed = diffs
      .filter((d) => d.source !== undefined)
      .map((d) => ({ d, again: rewrittenByUpgrade(ctx, d) }))
      .filter(({ d, again }) => d.change !== null || again.length > 0);
    const order = dependencyOrder(changed.map(({ d }) => d.addon), needs);
    return changed
      .sort((a, b) => order.indexOf(a.d.addon) - order.indexOf(b.d.addon))
      .map(({ d, again }) => {
        const rendered = ctx.desired.addons!.find((a) => a.name === d.addon)!;
        // None of its objects live yet: an installation, not a change.
        const fresh = !live.some((o) => o.addon === d.addon);
        const objects = [...d.objects, ...again];
        const reasons = [summarize(d.objects), again.length > 0 ? `kubeadm upgrade apply writes ${again.map(label).join(', ')} again: applied again after the upgrade` : ''].filter(Boolean);
        return {
          kind: 'apply-addon' as const,
          id: idOf(d.addon),
          ...(fresh ? { change: '+' as const } : {}),
          hosts: [],
          title: `${fresh ? 'install' : 'update'} addon ${d.addon}`,
          reason: fresh ? `addon ${d.addon} is enabled in the manifest and none of its ${rendered.objects.length} object(s) exist` : reasons.join('; '),
          // The addons whose CRDs it needs are applied first (when they change in this plan).
          dependsOn: [...after, ...(needs.get(d.addon) ?? []).map(idOf)],
          steps: addonSteps(d.addon, objects),
          objects,
        };
      });
  },
};

// apply-addon / prune-addon: each rendered addon is compared object by object with the live
// objects carrying its addon label. New objects are created, changed ones updated (with a
// JSON patch for `plan -v`), live objects no longer rendered are pruned in the same action;
// an addon live but no longer desired at all is pruned as a whole.
import jsonpatch from 'fast-json-patch';
import { sortKeys } from '../../api/canonical-json.js';
import type { PlanContext } from '../context.js';
import type { AddonObjectFacts } from '../../snapshot/types.js';
import type { ObjectDiff, RenderedAddon, RenderedObject, Step } from '../types.js';
import { step } from './steps.js';

type ObjectRef = { apiVersion: string; kind: string; namespace: string; name: string };

/** Objects are the same object across apiVersions of one group (apps/v1beta2 vs apps/v1 Deployment). */
function keyOf(o: ObjectRef): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${group}|${o.kind}|${o.namespace}|${o.name}`;
}

const refOf = (o: ObjectRef): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name });
const label = (o: ObjectRef): string => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
const byKey = (a: ObjectRef, b: ObjectRef): number => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0);

export function diffAddon(addon: RenderedAddon, live: AddonObjectFacts[]): ObjectDiff[] {
  const liveByKey = new Map(live.map((o) => [keyOf(o), o]));
  const rendered = new Set<string>();
  const diffs: ObjectDiff[] = [];
  for (const want of [...addon.objects].sort(byKey)) {
    const key = keyOf(want);
    rendered.add(key);
    const have = liveByKey.get(key);
    if (!have) diffs.push({ ...refOf(want), change: '+' });
    else if (have.hash !== want.hash) diffs.push({ ...refOf(want), change: '~', ...patchOf(have, want) });
  }
  for (const have of [...live].sort(byKey)) if (!rendered.has(keyOf(have))) diffs.push({ ...refOf(have), change: '-' });
  return diffs;
}

function patchOf(have: AddonObjectFacts, want: RenderedObject): Pick<ObjectDiff, 'patch'> {
  if (!have.object || !want.object) return {};
  const ops = jsonpatch.compare(sortKeys(have.object) as object, sortKeys(want.object) as object);
  return { patch: ops.map((op) => ({ ...op }) as NonNullable<ObjectDiff['patch']>[number]) };
}

export function summarize(diffs: ObjectDiff[]): string {
  const count = (c: string): number => diffs.filter((d) => d.change === c).length;
  const parts: string[] = [];
  const first = (c: string): string => diffs.filter((d) => d.change === c).slice(0, 3).map(label).join(', ');
  const more = (c: string): string => (count(c) > 3 ? ` and ${count(c) - 3} more` : '');
  if (count('+')) parts.push(`${count('+')} object(s) missing in the cluster (${first('+')}${more('+')})`);
  if (count('~')) parts.push(`${count('~')} object(s) differ from the rendered manifest (${first('~')}${more('~')})`);
  if (count('-')) parts.push(`${count('-')} live object(s) no longer rendered (${first('-')}${more('-')})`);
  return parts.join('; ');
}

export function applySteps(name: string, diffs: ObjectDiff[]): Step[] {
  const apply = diffs.filter((d) => d.change !== '-').map(refOf);
  const prune = diffs.filter((d) => d.change === '-').map(refOf);
  const out: Step[] = [];
  if (apply.length > 0) out.push(step('addon.apply', undefined, `apply ${apply.length} object(s) of addon ${name}`, { addon: name, objects: apply }));
  if (prune.length > 0) out.push(step('addon.prune', undefined, `delete ${prune.length} object(s) of addon ${name}`, { addon: name, objects: prune }));
  return out;
}

export const applyId = (name: string): string => `apply-addon:${name}`;
export const pruneId = (name: string): string => `prune-addon:${name}`;

export function plan(ctx: PlanContext, after: string[]): void {
  const desired = ctx.desired.addons;
  if (desired === null) {
    ctx.b.warn('addons were not rendered; addon drift was not checked');
    return;
  }
  const liveByAddon = new Map<string, AddonObjectFacts[]>();
  for (const o of ctx.kube?.addonObjects ?? []) {
    const list = liveByAddon.get(o.addon) ?? [];
    list.push(o);
    liveByAddon.set(o.addon, list);
  }
  const names = new Set(desired.map((a) => a.name));
  for (const addon of [...desired].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const live = liveByAddon.get(addon.name) ?? [];
    const diffs = diffAddon(addon, live);
    if (diffs.length === 0) continue;
    const fresh = live.length === 0;
    ctx.b.add({
      id: applyId(addon.name),
      kind: 'apply-addon',
      change: fresh ? '+' : '~',
      hosts: [],
      title: `${fresh ? 'install' : 'update'} addon ${addon.name}`,
      reason: fresh ? `addon ${addon.name} is enabled in the manifest and none of its ${addon.objects.length} object(s) exist` : summarize(diffs),
      dependsOn: ctx.b.deps(...after),
      disruptive: false,
      serial: false,
      steps: applySteps(addon.name, diffs),
      objects: diffs,
    });
  }
  for (const name of [...liveByAddon.keys()].filter((n) => !names.has(n)).sort()) {
    const diffs = diffAddon({ name, source: 'embedded', objects: [] }, liveByAddon.get(name)!);
    ctx.b.add({
      id: pruneId(name),
      kind: 'prune-addon',
      change: '-',
      hosts: [],
      title: `delete addon ${name}`,
      reason: `addon ${name} has ${diffs.length} live object(s) but is not enabled in the manifest (addons / features)`,
      dependsOn: ctx.b.deps(...after),
      disruptive: false,
      serial: false,
      steps: applySteps(name, diffs),
      objects: diffs,
    });
  }
}

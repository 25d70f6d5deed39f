// Plan actions for addon diffs (pure): one `apply-addon` per addon with objects to create or
// update (pruning its dropped objects in a second step), one `prune-addon` per addon that is
// gone from the manifest. The planner may use these or build its own from diffAddons().
import type { Action, ObjectDiff, Step } from '../plan/types.js';
import type { AddonDiff } from './diff.js';
import { displayName } from './selection.js';

export interface AddonActionOptions {
  /** Actions every addon action waits for (e.g. the control-plane init). */
  dependsOn?: string[];
  /** addon name -> why it is selected (AddonChoice.reason), for the action reason. */
  reasons?: Record<string, string>;
}

const ref = (o: ObjectDiff) => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name });

function counts(objects: ObjectDiff[]): string {
  const n = (c: string) => objects.filter((o) => o.change === c).length;
  const parts = [
    n('+') && `${n('+')} to create`,
    n('~') && `${n('~')} to update`,
    n('-') && `${n('-')} to prune`,
  ].filter(Boolean);
  return parts.join(', ');
}

export function addonActions(diffs: AddonDiff[], opts: AddonActionOptions = {}): Action[] {
  const actions: Action[] = [];
  for (const d of diffs) {
    if (d.change === null) continue;
    const name = displayName(d.addon);
    const applied = d.objects.filter((o) => o.change !== '-');
    const pruned = d.objects.filter((o) => o.change === '-');
    const steps: Step[] = [];
    if (applied.length) {
      steps.push({
        id: 'addon.apply',
        op: 'addon.apply',
        description: `server-side apply addon ${name} (${applied.length} changed object${applied.length === 1 ? '' : 's'})`,
        params: { addon: d.addon, objects: applied.map(ref) },
      });
    }
    if (pruned.length) {
      steps.push({
        id: 'addon.prune',
        op: 'addon.prune',
        description: `delete ${pruned.length} object${pruned.length === 1 ? '' : 's'} of addon ${name}`,
        params: { addon: d.addon, objects: pruned.map(ref) },
      });
    }
    const gone = d.change === '-';
    const selected = opts.reasons?.[d.addon];
    actions.push({
      id: `${gone ? 'prune-addon' : 'apply-addon'}:${d.addon}`,
      kind: gone ? 'prune-addon' : 'apply-addon',
      change: d.change,
      hosts: [],
      title: `${gone ? 'remove' : d.change === '+' ? 'install' : 'update'} addon ${name}`,
      reason: gone
        ? `addon ${name} is no longer in the manifest; ${counts(d.objects)}`
        : `${selected ? `${selected}: ` : ''}${counts(d.objects)}`,
      dependsOn: [...(opts.dependsOn ?? [])],
      // Removing a CNI cuts pod networking.
      disruptive: gone && d.addon.startsWith('cni-'),
      serial: true,
      steps,
      objects: d.objects,
    });
  }
  return actions;
}

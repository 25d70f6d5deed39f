// Human rendering of addon diffs for `kubeone plan` (-v adds field-level operations).
import type { ObjectDiff } from '../plan/types.js';
import type { AddonDiff, UnmanagedAddon } from './diff.js';
import { displayName } from './selection.js';

function objectName(o: Pick<ObjectDiff, 'kind' | 'namespace' | 'name'>): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? '' : s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** Lines for a plan: one per changed addon, one per object, and with `verbose` one per operation. */
export function formatAddonDiffs(diffs: AddonDiff[], opts: { verbose?: boolean; indent?: string } = {}): string[] {
  const pad = opts.indent ?? '';
  const lines: string[] = [];
  for (const d of diffs) {
    if (d.change === null) continue;
    const verb = d.change === '+' ? 'install' : d.change === '-' ? 'prune' : 'update';
    lines.push(`${pad}${d.change} ${verb} addon ${displayName(d.addon)}${d.source ? ` (${d.source})` : ''}`);
    for (const o of d.objects) {
      lines.push(`${pad}    ${o.change} ${objectName(o)}`);
      if (!opts.verbose || !o.patch) continue;
      if (!o.patch.length) lines.push(`${pad}        (sensitive or data-only change)`);
      for (const op of o.patch) {
        lines.push(`${pad}        ${op.op} ${op.path}${'value' in op && op.op !== 'remove' ? ` = ${show(op.value)}` : ''}`);
      }
    }
  }
  return lines;
}

/**
 * One line per addon whose live objects this tool leaves alone (not rendered, not applied by
 * it), with how to remove them. The plan shows these as warnings.
 */
export function describeUnmanaged(u: UnmanagedAddon): string {
  const names = u.objects.slice(0, 5).map(objectName).join(', ') + (u.objects.length > 5 ? ` and ${u.objects.length - 5} more` : '');
  const label = `kubeone.io/addon=${u.addon}`;
  if (u.keptDefinitions) {
    return `kept: ${u.objects.length} CustomResourceDefinition(s) of addon ${displayName(u.addon)} (${names}), which is no longer enabled: deleting one deletes every object of its kinds. To delete them, add {name: ${JSON.stringify(u.addon)}, delete: true} to addons.addons`;
  }
  const what = `unmanaged: ${u.objects.length} object(s) labelled ${label} (${names}) are not rendered from the manifest and were not applied by kubeone`;
  if (u.rendered) return `${what}; they are left alone (delete them with kubectl if addon ${displayName(u.addon)} no longer needs them)`;
  return `${what}; they are left alone. To delete addon ${displayName(u.addon)}, add {name: ${JSON.stringify(u.addon)}, delete: true} to addons.addons`;
}

// `kubeone plan`: a Terraform-like summary, one line per action with its reason, refusals
// with `!` and what to do, and the final count line. `verbose` adds ids, ordering, steps
// and the object diffs of addons.
import type { Action, ObjectDiff, Plan, Refusal } from '../plan/types.js';
import { countPlan, type PlanView } from './plan-view.js';

export interface HumanViewOptions {
  verbose?: boolean;
  /** ANSI colors; pass `stream.isTTY === true` (never colors when not a terminal). */
  color?: boolean;
}

const ANSI: Record<string, string> = { '+': '32', '~': '33', '-': '31', '!': '35', dim: '2', bold: '1' };

export function humanPlanView(opts: HumanViewOptions = {}): PlanView {
  return { render: (plan) => renderPlanHuman(plan, opts) };
}

export function renderPlanHuman(plan: Plan, opts: HumanViewOptions = {}): string {
  const paint = (code: string, text: string): string => (opts.color ? `\u001b[${ANSI[code]}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  if (plan.actions.length === 0 && plan.refusals.length === 0) {
    lines.push('No changes. The cluster matches the manifest.');
  }
  if (plan.actions.length > 0) {
    lines.push('kubeone will perform the following actions, in this order:', '');
    for (const action of plan.actions) lines.push(...renderAction(action, opts.verbose === true, paint));
  }
  if (plan.refusals.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('kubeone refuses the following changes:', '');
    for (const refusal of plan.refusals) lines.push(...renderRefusal(refusal, paint));
  }
  if (plan.warnings.length > 0) {
    lines.push('');
    for (const warning of plan.warnings) lines.push(`${paint('~', 'Warning:')} ${warning}`);
  }
  const c = countPlan(plan);
  lines.push('', paint('bold', `Plan: ${c.add} to add, ${c.change} to change, ${c.destroy} to destroy.`));
  if (c.refused > 0) lines.push(paint('!', `Refused: ${c.refused} (marked ! above); nothing is planned for them.`));
  if (opts.verbose) lines.push(paint('dim', `Snapshot ${plan.snapshotHash}, manifest ${plan.manifestHash}.`));
  return `${lines.join('\n')}\n`;
}

type Paint = (code: string, text: string) => string;

function renderAction(a: Action, verbose: boolean, paint: Paint): string[] {
  const marks = a.disruptive ? ' [disruptive]' : '';
  const out = [`  ${paint(a.change, a.change)} ${a.title}${paint('-', marks)}: ${a.reason}`];
  if (!verbose) return out;
  out.push(paint('dim', `      id: ${a.id}${a.dependsOn.length > 0 ? `, after: ${a.dependsOn.join(', ')}` : ''}`));
  a.steps.forEach((s, i) => out.push(paint('dim', `      ${i + 1}. ${s.description}`)));
  for (const diff of a.objects ?? []) out.push(...renderObjectDiff(diff, paint));
  if (a.valuesDiff?.length) {
    out.push(paint('dim', '      values (secrets redacted):'));
    for (const op of a.valuesDiff) out.push(`          ${op.op} ${op.path}${op.op === 'remove' ? '' : ` ${JSON.stringify(op.value ?? op.from)}`}`);
  }
  return out;
}

function renderObjectDiff(d: ObjectDiff, paint: Paint): string[] {
  const name = `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name} (${d.apiVersion})`;
  const out = [`      ${paint(d.change, d.change)} ${name}`];
  for (const op of d.patch ?? []) {
    const value = op.op === 'remove' ? '' : ` ${JSON.stringify(op.value ?? op.from)}`;
    out.push(`          ${op.op} ${op.path}${value}`);
  }
  return out;
}

function renderRefusal(r: Refusal, paint: Paint): string[] {
  return [`  ${paint('!', '!')} [${r.rule}] ${r.message}`, `      what to do: ${r.hint}`];
}

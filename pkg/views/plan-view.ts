// How a plan is shown: one interface, a human (Terraform-like) and a JSON implementation.
import type { Plan } from '../plan/types.js';

export interface PlanView {
  /** The full text to print (ends with a newline). */
  render(plan: Plan): string;
}

export interface PlanCounts {
  add: number;
  change: number;
  destroy: number;
  refused: number;
}

export function countPlan(plan: Plan): PlanCounts {
  const of = (c: string): number => plan.actions.filter((a) => a.change === c).length;
  return { add: of('+'), change: of('~'), destroy: of('-'), refused: plan.refusals.length };
}

/**
 * `--detailed-exitcode`: 1 when part of the desired state is refused, whatever else the plan
 * holds (apply refuses to run such a plan, so "apply would converge" would be a lie: a human
 * must act); 2 when applying would change something; 0 when the cluster matches the manifest.
 */
export function detailedExitCode(plan: Plan): 0 | 1 | 2 {
  if (plan.refusals.length > 0) return 1;
  return plan.actions.length > 0 ? 2 : 0;
}

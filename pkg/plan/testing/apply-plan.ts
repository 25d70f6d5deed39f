// An in-memory model of the executor: applies each step's modelled effect (OpDefinition.model
// in pkg/ops) to a copy of the snapshot, as the probe would observe it afterwards. Used by the
// model test (plan, apply, plan again must be empty).
import { ModelWorld, type ModelOptions } from '../../ops/model-world.js';
import { OPS } from '../../ops/registry.js';
import type { OpDefinition } from '../../ops/types.js';
import type { Snapshot } from '../../snapshot/types.js';
import type { DesiredState, Plan, Step } from '../types.js';
import { withHash } from './snapshot-builder.js';

export type { ModelOptions };

export function applyPlan(plan: Plan, snapshot: Snapshot, desired: DesiredState, opts: ModelOptions = {}, seen?: Set<string>): Snapshot {
  const state = structuredClone(snapshot.state);
  const world = new ModelWorld(state.hosts, state.kube, desired, opts);
  for (const action of plan.actions) for (const s of action.steps) applyStep(world, s, seen);
  state.kube = world.kube;
  return withHash({ ...snapshot, state });
}

function applyStep(world: ModelWorld, step: Step, seen?: Set<string>): void {
  seen?.add(step.op);
  (OPS[step.op] as OpDefinition<unknown>).model(world, step.params, step.host);
}

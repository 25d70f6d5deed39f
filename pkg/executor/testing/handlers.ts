// Test helper: a complete StepHandlers map from the few handlers a test cares about; any
// other op fails the step loudly.
import { STEP_OPS } from '../../ops/registry.js';
import type { StepHandler, StepHandlers } from '../types.js';

export function handlers(some: Partial<StepHandlers>): StepHandlers {
  const unexpected: StepHandler = async (ctx) => {
    throw new Error(`test: no handler for ${ctx.step.op}`);
  };
  return Object.fromEntries(STEP_OPS.map((op) => [op, some[op] ?? unexpected])) as unknown as StepHandlers;
}

// Test helper: compact Action builders. Params are whatever the test needs (the ops' own
// tests pass complete ones); the cast keeps tests short.
import type { Action, Step, StepOp } from '../../plan/types.js';

export function step(op: StepOp, host?: string, params?: Record<string, unknown>, id: string = op): Step {
  return { id, op, ...(host ? { host } : {}), description: `${op}${host ? ` on ${host}` : ''}`, ...(params ? { params } : {}) } as Step;
}

export function action(id: string, opts: Partial<Action> & { steps: Step[] }): Action {
  return {
    id,
    kind: 'join-worker',
    change: '+',
    hosts: [],
    title: id,
    reason: 'test',
    dependsOn: [],
    disruptive: false,
    serial: false,
    ...opts,
  };
}

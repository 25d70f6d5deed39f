// Resume decisions: a step an interrupted run finished is skipped only when its effect is
// still visible in the fresh snapshot (each op's own `stillDone`); otherwise it is run again
// (every step is idempotent, so that is safe, just slower).
import type { InterruptedAction } from '../journal/resume.js';
import { nodeOfStep, opDefinition } from '../ops/registry.js';
import type { ResumeView } from '../ops/types.js';
import type { Action, DesiredState, Step } from '../plan/types.js';
import type { Snapshot } from '../snapshot/types.js';
import type { SkipDecider } from './types.js';

export function resumeView(step: Step, snapshot: Snapshot, desired: DesiredState): ResumeView {
  const node = nodeOfStep(step);
  return {
    snapshot,
    desired,
    hostName: step.host,
    host: step.host ? snapshot.state.hosts.find((h) => h.name === step.host) : undefined,
    node: node ? snapshot.state.kube?.nodes.find((n) => n.name === node || n.host === node) : undefined,
  };
}

export function effectStillVisible(step: Step, snapshot: Snapshot, desired: DesiredState): boolean {
  const definition = opDefinition(step.op) as { stillDone(view: ResumeView, params: unknown): boolean };
  return definition.stillDone(resumeView(step, snapshot, desired), step.params);
}

export function journalSkipDecider(interrupted: Map<string, InterruptedAction>, visible: (step: Step) => boolean): SkipDecider {
  return async (action: Action, step: Step) => {
    const entry = interrupted.get(action.id);
    if (!entry || !entry.finishedSteps.has(step.id)) return null;
    return visible(step) ? 'finished by an earlier run' : null;
  };
}

// Runs the steps of one action in order: skips a step an interrupted run already finished
// (when its effect is still visible), writes the in-flight marker on the host of a step whose
// op asks for one, runs the op through the one retry layer, and reports every transition as
// an event. The first failing step ends the action.
import { opDefinition } from '../ops/registry.js';
import type { Action, Step } from '../plan/types.js';
import { errorText, redactText, withRetry } from './retry.js';
import type { Clock, ExecutorEvent, FailedAction, InflightMarkers, RetryPolicy, SkipDecider, StepHandlers } from './types.js';

export interface StepRunner {
  runId: string;
  ops: StepHandlers;
  retry: RetryPolicy;
  clock: Clock;
  signal: AbortSignal;
  markers?: InflightMarkers;
  skip?: SkipDecider;
  redact: () => string[];
  emit(event: Omit<ExecutorEvent, 'ts' | 'runId'>): void;
  /** Counted across the run. */
  counts: { stepsRun: number; stepsSkipped: number };
}

/** The host whose in-flight marker stands for this step while it runs, if any. */
export function markedHost(step: Step): string | undefined {
  return opDefinition(step.op).marksInflight ? step.host : undefined;
}

export async function runAction(action: Action, r: StepRunner): Promise<FailedAction | null> {
  r.emit({ type: 'action-started', actionId: action.id, actionTitle: action.title });
  const actionStart = r.clock.now().getTime();
  for (const step of action.steps) {
    const base = { actionId: action.id, stepId: step.id, op: step.op, host: step.host, description: step.description };
    if (r.signal.aborted) return { actionId: action.id, title: action.title, stepId: step.id, host: step.host, error: 'cancelled' };
    const skipReason = r.skip ? await r.skip(action, step) : null;
    if (skipReason) {
      r.counts.stepsSkipped++;
      r.emit({ type: 'step-skipped', ...base, reason: skipReason });
      continue;
    }
    const stepStart = r.clock.now().getTime();
    r.counts.stepsRun++;
    const marked = r.markers ? markedHost(step) : undefined;
    const retried = (attempt: () => Promise<void>) =>
      withRetry(r.retry, r.clock, r.signal, attempt, (n, delayMs, error) =>
        r.emit({ type: 'step-retry', ...base, attempt: n, delayMs, error: errorText(error) }),
      );
    let started = false;
    try {
      // The marker goes on the host first: a journaled "started" always has its marker.
      if (marked) {
        const marker = { actionId: action.id, step: step.id, startedAt: new Date(stepStart).toISOString(), runId: r.runId };
        await retried(() => r.markers!.set(marked, marker));
      }
      r.emit({ type: 'step-started', ...base });
      started = true;
      await retried(() => r.ops[step.op]({ runId: r.runId, action, step, signal: r.signal }));
      // The step is done whatever happens to its marker (a leftover one is only informative).
      if (marked) await retried(() => r.markers!.clear(marked)).catch(() => undefined);
    } catch (error) {
      // Best effort: a failed step is journaled; the marker only stands for a crash.
      if (marked) await r.markers!.clear(marked).catch(() => undefined);
      const text = redactText(errorText(error), r.redact());
      if (!started) r.emit({ type: 'step-started', ...base });
      r.emit({ type: 'step-failed', ...base, durationMs: r.clock.now().getTime() - stepStart, error: text });
      r.emit({ type: 'action-failed', actionId: action.id, actionTitle: action.title, durationMs: r.clock.now().getTime() - actionStart, error: text });
      return { actionId: action.id, title: action.title, stepId: step.id, host: step.host, error: text };
    }
    r.emit({ type: 'step-finished', ...base, durationMs: r.clock.now().getTime() - stepStart });
  }
  r.emit({ type: 'action-finished', actionId: action.id, actionTitle: action.title, durationMs: r.clock.now().getTime() - actionStart });
  return null;
}

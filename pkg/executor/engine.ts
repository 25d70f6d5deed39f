// Executes a plan's actions: the scheduler (scheduler.ts) says what may start, the step
// runner (step-runner.ts) runs each action's steps; this loop wires them together, keeps the
// summary and emits the run-level events. A permanent failure blocks what depends on it;
// independent actions still finish.
import type { Action } from '../plan/types.js';
import { errorText, redactText, systemClock } from './retry.js';
import { type Blocked, Scheduler } from './scheduler.js';
import { runAction, type StepRunner } from './step-runner.js';
import { DEFAULT_RETRY, type ExecuteOptions, type ExecuteSummary, type ExecutorEvent, type FailedAction } from './types.js';

export async function execute(actions: Action[], opts: ExecuteOptions): Promise<ExecuteSummary> {
  const clock = opts.clock ?? systemClock;
  const signal = opts.signal ?? new AbortController().signal;
  const started = clock.now().getTime();
  const summary: ExecuteSummary = { completed: [], failed: [], blocked: [], notStarted: [], stepsRun: 0, stepsSkipped: 0, durationMs: 0 };
  const redact = () => opts.redact?.() ?? [];
  const emit = (event: Omit<ExecutorEvent, 'ts' | 'runId'>): void => {
    const full: ExecutorEvent = { ts: clock.now().toISOString(), runId: opts.runId, ...event };
    if (full.error) full.error = redactText(full.error, redact());
    for (const listener of opts.listeners ?? []) listener(full);
  };
  const runner: StepRunner = {
    runId: opts.runId,
    ops: opts.ops,
    retry: opts.retry ?? DEFAULT_RETRY,
    clock,
    signal,
    redact,
    emit,
    counts: summary,
    ...(opts.markers ? { markers: opts.markers } : {}),
    ...(opts.skip ? { skip: opts.skip } : {}),
  };
  const scheduler = new Scheduler(actions, Math.max(1, opts.parallelism ?? 1));
  const running = new Map<string, Promise<void>>();

  const reportBlocked = (blocked: Blocked[]): void => {
    for (const b of blocked) {
      summary.blocked.push({ actionId: b.action.id, title: b.action.title, blockedBy: b.by });
      const reason = b.why === 'dependency' ? `depends on ${b.by}` : `unsatisfiable dependency ${b.by}`;
      emit({ type: 'action-blocked', actionId: b.action.id, actionTitle: b.action.title, reason });
    }
  };
  const finish = (action: Action, failure: FailedAction | null): void => {
    running.delete(action.id);
    if (!failure) {
      scheduler.finish(action.id, 'done');
      summary.completed.push(action.id);
    } else if (failure.error === 'cancelled') {
      scheduler.finish(action.id, 'cancelled');
      summary.notStarted.push(action.id);
    } else {
      scheduler.finish(action.id, 'failed');
      summary.failed.push(failure);
    }
  };

  emit({ type: 'run-started', totalActions: actions.length, totalSteps: actions.reduce((n, a) => n + a.steps.length, 0) });
  for (;;) {
    reportBlocked(scheduler.block());
    if (signal.aborted) {
      for (const a of scheduler.cancelPending()) summary.notStarted.push(a.id);
    } else {
      for (const action of scheduler.start()) {
        const promise = runAction(action, runner).then(
          (failure) => finish(action, failure),
          (error) => finish(action, { actionId: action.id, title: action.title, stepId: '', error: errorText(error) }),
        );
        running.set(action.id, promise);
      }
    }
    if (running.size === 0) {
      reportBlocked(scheduler.blockStuck());
      break;
    }
    await Promise.race(running.values());
  }
  summary.durationMs = clock.now().getTime() - started;
  emit({ type: 'run-finished', durationMs: summary.durationMs, summary });
  return summary;
}

// Runs a plan's actions in dependency order: serial (control-plane) actions one at a time,
// the others up to `parallelism` at once, never two actions on the same host together.
// A permanent failure blocks what depends on it; independent actions still finish.
import type { Action, Step } from '../plan/types.js';
import { backoffDelay, errorText, isTransient, redactText, systemClock } from './retry.js';
import {
  DEFAULT_RETRY,
  type ExecuteOptions,
  type ExecuteSummary,
  type ExecutorEvent,
  type FailedAction,
  StepError,
} from './types.js';

type ActionState = 'pending' | 'running' | 'done' | 'failed' | 'blocked' | 'cancelled';

/** Ops that change the host they run on: those get an in-flight marker there. */
export function changesHost(step: Step): boolean {
  return Boolean(step.host) && /^(host|kubeadm|pki)\./.test(step.op);
}

export async function execute(actions: Action[], opts: ExecuteOptions): Promise<ExecuteSummary> {
  const clock = opts.clock ?? systemClock;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const parallelism = Math.max(1, opts.parallelism ?? 1);
  const signal = opts.signal ?? new AbortController().signal;
  const started = clock.now().getTime();
  const state = new Map<string, ActionState>(actions.map((a) => [a.id, 'pending']));
  const summary: ExecuteSummary = { completed: [], failed: [], blocked: [], notStarted: [], stepsRun: 0, stepsSkipped: 0, durationMs: 0 };
  const busyHosts = new Set<string>();
  let serialRunning = 0;
  let parallelRunning = 0;

  const emit = (event: Omit<ExecutorEvent, 'ts' | 'runId'>): void => {
    const full: ExecutorEvent = { ts: clock.now().toISOString(), runId: opts.runId, ...event };
    if (full.error) full.error = redactText(full.error, opts.redact?.() ?? []);
    for (const listener of opts.listeners ?? []) listener(full);
  };

  const withRetry = async (action: Action, step: Step, attempt: () => Promise<void>): Promise<void> => {
    for (let n = 1; ; n++) {
      try {
        await attempt();
        return;
      } catch (error) {
        if (signal.aborted || n >= retry.attempts || !isTransient(error)) throw error;
        const delayMs = backoffDelay(retry, n);
        emit({ type: 'step-retry', actionId: action.id, stepId: step.id, op: step.op, host: step.host, attempt: n, delayMs, error: errorText(error) });
        await clock.sleep(delayMs, signal);
      }
    }
  };

  const runStep = (action: Action, step: Step): Promise<void> => {
    const handler = opts.ops[step.op];
    if (!handler) return Promise.reject(new StepError(action.id, step.id, step.host, `no handler for step op ${step.op}`));
    return withRetry(action, step, () => handler({ runId: opts.runId, action, step, signal }));
  };

  const runAction = async (action: Action): Promise<FailedAction | null> => {
    emit({ type: 'action-started', actionId: action.id, actionTitle: action.title });
    const actionStart = clock.now().getTime();
    for (const step of action.steps) {
      const base = { actionId: action.id, stepId: step.id, op: step.op, host: step.host, description: step.description };
      if (signal.aborted) return { actionId: action.id, title: action.title, stepId: step.id, host: step.host, error: 'cancelled' };
      const skipReason = opts.skip ? await opts.skip(action, step) : null;
      if (skipReason) {
        summary.stepsSkipped++;
        emit({ type: 'step-skipped', ...base, reason: skipReason });
        continue;
      }
      const stepStart = clock.now().getTime();
      summary.stepsRun++;
      const marked = changesHost(step) && opts.markers ? step.host : undefined;
      let started = false;
      try {
        // The marker goes on the host first: a journaled "started" always has its marker.
        if (marked) {
          const marker = { actionId: action.id, step: step.id, startedAt: new Date(stepStart).toISOString(), runId: opts.runId };
          await withRetry(action, step, () => opts.markers!.set(marked, marker));
        }
        emit({ type: 'step-started', ...base });
        started = true;
        await runStep(action, step);
        // The step is done whatever happens to its marker (a leftover one is only informative).
        if (marked) await withRetry(action, step, () => opts.markers!.clear(marked)).catch(() => undefined);
      } catch (error) {
        // Best effort: a failed step is journaled; the marker only stands for a crash.
        if (marked) await opts.markers!.clear(marked).catch(() => undefined);
        const text = redactText(errorText(error), opts.redact?.() ?? []);
        if (!started) emit({ type: 'step-started', ...base });
        emit({ type: 'step-failed', ...base, durationMs: clock.now().getTime() - stepStart, error: text });
        emit({ type: 'action-failed', actionId: action.id, actionTitle: action.title, durationMs: clock.now().getTime() - actionStart, error: text });
        return { actionId: action.id, title: action.title, stepId: step.id, host: step.host, error: text };
      }
      emit({ type: 'step-finished', ...base, durationMs: clock.now().getTime() - stepStart });
    }
    emit({ type: 'action-finished', actionId: action.id, actionTitle: action.title, durationMs: clock.now().getTime() - actionStart });
    return null;
  };

  emit({ type: 'run-started', totalActions: actions.length, totalSteps: actions.reduce((n, a) => n + a.steps.length, 0) });
  const running = new Map<string, Promise<void>>();

  const depState = (id: string): ActionState => state.get(id) ?? 'done'; // outside the plan = already satisfied
  const blockPending = (): void => {
    let changed = true;
    while (changed) {
      changed = false;
      for (const action of actions) {
        if (state.get(action.id) !== 'pending') continue;
        const bad = action.dependsOn.find((d) => ['failed', 'blocked', 'cancelled'].includes(depState(d)));
        if (bad) {
          state.set(action.id, 'blocked');
          summary.blocked.push({ actionId: action.id, title: action.title, blockedBy: bad });
          emit({ type: 'action-blocked', actionId: action.id, actionTitle: action.title, reason: `depends on ${bad}` });
          changed = true;
        }
      }
    }
  };

  const canStart = (action: Action): boolean => {
    if (!action.dependsOn.every((d) => depState(d) === 'done')) return false;
    if (action.hosts.some((h) => busyHosts.has(h))) return false;
    return action.serial ? serialRunning === 0 : parallelRunning < parallelism;
  };

  const start = (action: Action): void => {
    state.set(action.id, 'running');
    action.hosts.forEach((h) => busyHosts.add(h));
    if (action.serial) serialRunning++;
    else parallelRunning++;
    const promise = runAction(action).then(
      (failure) => finish(action, failure),
      (error) => finish(action, { actionId: action.id, title: action.title, stepId: '', error: errorText(error) }),
    );
    running.set(action.id, promise);
  };

  const finish = (action: Action, failure: FailedAction | null): void => {
    running.delete(action.id);
    action.hosts.forEach((h) => busyHosts.delete(h));
    if (action.serial) serialRunning--;
    else parallelRunning--;
    if (!failure) {
      state.set(action.id, 'done');
      summary.completed.push(action.id);
    } else if (failure.error === 'cancelled') {
      state.set(action.id, 'cancelled');
      summary.notStarted.push(action.id);
    } else {
      state.set(action.id, 'failed');
      summary.failed.push(failure);
    }
  };

  for (;;) {
    blockPending();
    const pending = actions.filter((a) => state.get(a.id) === 'pending');
    if (signal.aborted) {
      for (const a of pending) {
        state.set(a.id, 'cancelled');
        summary.notStarted.push(a.id);
      }
    } else {
      for (const a of pending) if (canStart(a)) start(a);
    }
    if (running.size === 0) {
      const stuck = actions.filter((a) => state.get(a.id) === 'pending');
      for (const a of stuck) {
        state.set(a.id, 'blocked');
        const missing = a.dependsOn.find((d) => depState(d) !== 'done') ?? '(cycle)';
        summary.blocked.push({ actionId: a.id, title: a.title, blockedBy: missing });
        emit({ type: 'action-blocked', actionId: a.id, actionTitle: a.title, reason: `unsatisfiable dependency ${missing}` });
      }
      break;
    }
    await Promise.race(running.values());
  }
  summary.durationMs = clock.now().getTime() - started;
  emit({ type: 'run-finished', durationMs: summary.durationMs, summary });
  return summary;
}

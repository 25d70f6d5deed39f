// The executor's vocabulary: events it emits (it never prints), the handler each step op
// maps to, and the result summary. Listeners (journal, TTY view, JSON view) consume events.
import type { Clock } from '../ops/context.js';
import type { Action, Step, StepOp } from '../plan/types.js';

export type { Clock };

export type ExecutorEventType =
  | 'run-started'
  | 'run-finished'
  | 'action-started'
  | 'action-finished'
  | 'action-failed'
  | 'action-blocked'
  | 'step-started'
  | 'step-finished'
  | 'step-failed'
  | 'step-skipped'
  | 'step-retry';

export interface ExecutorEvent {
  type: ExecutorEventType;
  /** ISO 8601. */
  ts: string;
  runId: string;
  actionId?: string;
  actionTitle?: string;
  stepId?: string;
  op?: StepOp;
  host?: string;
  description?: string;
  durationMs?: number;
  /** Failure text (secrets redacted). */
  error?: string;
  /** step-retry: the attempt that failed (1-based) and the wait before the next. */
  attempt?: number;
  delayMs?: number;
  /** step-skipped / action-blocked: why. */
  reason?: string;
  /** run-started: totals for progress views. */
  totalActions?: number;
  totalSteps?: number;
  /** run-finished: the summary. */
  summary?: ExecuteSummary;
}

export type Listener = (event: ExecutorEvent) => void;

export interface StepContext {
  runId: string;
  action: Action;
  step: Step;
  signal: AbortSignal;
}

export type StepHandler = (ctx: StepContext) => Promise<void>;
/** One handler per op: complete, like the op registry it is built from (run-context.ts). */
export type StepHandlers = { readonly [Op in StepOp]: StepHandler };

export interface RetryPolicy {
  /** Total attempts for a transient failure (1 = no retry). */
  attempts: number;
  baseDelayMs: number;
  factor: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 2000, factor: 2, maxDelayMs: 30000 };

/** Marks the host a step changes while it runs (/var/lib/kubeone/inflight.json). */
export interface InflightMarkers {
  set(host: string, marker: { actionId: string; step: string; startedAt: string; runId: string }): Promise<void>;
  clear(host: string): Promise<void>;
}

/** Decides, on a re-run, whether a step already finished by an interrupted run can be skipped. */
export type SkipDecider = (action: Action, step: Step) => Promise<string | null>;

export interface ExecuteOptions {
  runId: string;
  /** Non-serial (worker) actions running at once (default 1). */
  parallelism?: number;
  ops: StepHandlers;
  listeners?: Listener[];
  retry?: RetryPolicy;
  clock?: Clock;
  markers?: InflightMarkers;
  skip?: SkipDecider;
  signal?: AbortSignal;
  /** Strings never to show in events (e.g. a join token created during the run). */
  redact?: () => string[];
}

export interface FailedAction {
  actionId: string;
  title: string;
  stepId: string;
  host?: string;
  error: string;
}

export interface ExecuteSummary {
  completed: string[];
  failed: FailedAction[];
  /** Actions not run because something they depend on failed (or was blocked). */
  blocked: { actionId: string; title: string; blockedBy: string }[];
  /** Actions not run because the run was cancelled. */
  notStarted: string[];
  stepsRun: number;
  stepsSkipped: number;
  durationMs: number;
}

// The flows' FlowUi on a terminal: the plan (the human plan view), confirmation (exactly
// `yes`), progress as a live per-host view on a TTY or one JSON event per line with
// --log-format json.
import { createInterface } from 'node:readline/promises';
import { type FlowOptions, type FlowUi, runApplyFlow } from '../../pkg/executor/apply-flow.js';
import type { Collaborators } from '../../pkg/pipeline/collaborators.js';
import type { ExecuteSummary } from '../../pkg/executor/types.js';
import { humanPlanView } from '../../pkg/views/plan-human.js';
import type { PlanView } from '../../pkg/views/plan-view.js';
import { jsonProgressListener } from '../../pkg/views/progress-json.js';
import { TtyProgress } from '../../pkg/views/progress-tty.js';

export type LogFormat = 'human' | 'json';

/**
 * The flows' FlowUi on a terminal. The plan is shown through the same view as `kubeone plan`
 * (`view`: the human view, colored on a terminal); with JSON logs it is one `plan` event.
 */
export function terminalUi(opts: { logFormat: LogFormat; yes: boolean; view?: PlanView; write?: (text: string) => void }): FlowUi {
  const write = opts.write ?? ((text: string) => void process.stdout.write(text));
  const view = opts.view ?? humanPlanView({ color: process.stdout.isTTY === true });
  const json = opts.logFormat === 'json';
  const progress = json
    ? jsonProgressListener((l) => process.stdout.write(l))
    : process.stderr.isTTY
      ? new TtyProgress((t) => process.stderr.write(t)).listener
      : jsonFreeLines();
  return {
    showPlan: (plan) => (json ? write(`${JSON.stringify({ type: 'plan', plan })}\n`) : write(view.render(plan))),
    confirm: async (question) => {
      if (!process.stdin.isTTY) {
        throw new Error('confirmation needs a terminal: pass -y (--auto-approve) to run without one');
      }
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return (await rl.question(`${question}: `)).trim() === 'yes';
      } finally {
        rl.close();
      }
    },
    info: (m) => (json ? write(`${JSON.stringify({ type: 'info', message: m })}\n`) : write(`${m}\n`)),
    listeners: [progress],
  };
}

/** Not a TTY and not JSON: plain lines, one per finished or failed step. */
function jsonFreeLines() {
  return (e: import('../../pkg/executor/types.js').ExecutorEvent) => {
    if (e.type === 'step-finished') process.stderr.write(`done   ${e.host ?? 'cluster'}: ${e.description ?? e.stepId} (${e.durationMs}ms)\n`);
    if (e.type === 'step-skipped') process.stderr.write(`skip   ${e.host ?? 'cluster'}: ${e.description ?? e.stepId} (${e.reason})\n`);
    if (e.type === 'step-failed') process.stderr.write(`failed ${e.host ?? 'cluster'}: ${e.description ?? e.stepId}: ${e.error}\n`);
    if (e.type === 'step-retry') process.stderr.write(`retry  ${e.host ?? 'cluster'}: ${e.stepId} (attempt ${e.attempt}): ${e.error}\n`);
  };
}

/**
 * Runs an apply-shaped flow (apply, reset, certificates renew) on the terminal: the plan in the
 * human view (colored on a TTY, `--verbose` honoured) or as JSON events with `--log-format json`,
 * and Ctrl-C wired to the flow for as long as it runs.
 */
export function runFlowOnTerminal(c: Collaborators, args: { 'log-format'?: string; verbose?: boolean }, opts: Omit<FlowOptions, 'signal'>): Promise<ExecuteSummary | null> {
  const ui = terminalUi({
    logFormat: args['log-format'] === 'json' ? 'json' : 'human',
    yes: opts.yes,
    view: humanPlanView({ verbose: args.verbose, color: process.stdout.isTTY === true }),
  });
  return withInterrupt((signal) => runApplyFlow(c, ui, { ...opts, signal }));
}

/**
 * Ctrl-C while `work` runs: the first stops starting new work (running steps finish); the second
 * exits. The handlers are removed when `work` ends, so a process that runs several flows (the
 * tests, `kubeone local`) does not collect them.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const exitNow = () => process.exit(130);
  const stopStarting = () => {
    process.stderr.write('\ninterrupt: finishing running steps, starting nothing new (Ctrl-C again to exit now)\n');
    controller.abort(new Error('interrupted'));
    process.once('SIGINT', exitNow);
  };
  process.once('SIGINT', stopStarting);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', stopStarting);
    process.removeListener('SIGINT', exitNow);
  }
}

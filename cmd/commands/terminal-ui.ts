// The flows' FlowUi on a terminal: plan text, confirmation (exactly `yes`), progress as a
// live per-host view on a TTY or one JSON event per line with --log-format json.
import { createInterface } from 'node:readline/promises';
import type { FlowUi } from '../../pkg/executor/apply-flow.js';
import type { Action, Plan } from '../../pkg/plan/types.js';
import { jsonProgressListener } from '../../pkg/views/progress-json.js';
import { TtyProgress } from '../../pkg/views/progress-tty.js';

export type LogFormat = 'human' | 'json';

export function planText(plan: Plan, extra: Action[] = []): string {
  const lines: string[] = [];
  for (const a of [...extra, ...plan.actions]) {
    lines.push(`  ${a.change} ${a.title}`, `      because ${a.reason}`);
  }
  for (const w of plan.warnings) lines.push(`  warning: ${w}`);
  const count = (c: string) => [...extra, ...plan.actions].filter((a) => a.change === c).length;
  lines.push('', `Plan: ${count('+')} to add, ${count('~')} to change, ${count('-')} to remove.`);
  return `${lines.join('\n')}\n`;
}

export function terminalUi(opts: { logFormat: LogFormat; yes: boolean }): FlowUi {
  const json = opts.logFormat === 'json';
  const progress = json
    ? jsonProgressListener((l) => process.stdout.write(l))
    : process.stderr.isTTY
      ? new TtyProgress((t) => process.stderr.write(t)).listener
      : jsonFreeLines();
  return {
    showPlan: (plan, extra) => {
      if (json) process.stdout.write(`${JSON.stringify({ type: 'plan', plan, repairs: extra })}\n`);
      else process.stdout.write(planText(plan, extra));
    },
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
    info: (m) => (json ? process.stdout.write(`${JSON.stringify({ type: 'info', message: m })}\n`) : process.stdout.write(`${m}\n`)),
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

/** Ctrl-C: the first stops starting new work (running steps finish); the second exits. */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\ninterrupt: finishing running steps, starting nothing new (Ctrl-C again to exit now)\n');
    controller.abort(new Error('interrupted'));
    process.once('SIGINT', () => process.exit(130));
  });
  return controller.signal;
}

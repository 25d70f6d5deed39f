// --log-format json: one JSON object per executor event, one per line, stable field names
// (its own output shape, not the internal event type).
import type { Listener } from '../executor/types.js';

export interface ProgressJsonLine {
  type: string;
  ts: string;
  runId: string;
  action?: string;
  step?: string;
  op?: string;
  host?: string;
  durationMs?: number;
  error?: string;
  attempt?: number;
  reason?: string;
  summary?: { completed: number; failed: number; blocked: number; notStarted: number; stepsRun: number; stepsSkipped: number };
}

export function jsonProgressListener(write: (line: string) => void): Listener {
  return (e) => {
    const line: ProgressJsonLine = { type: e.type, ts: e.ts, runId: e.runId };
    if (e.actionId) line.action = e.actionId;
    if (e.stepId) line.step = e.stepId;
    if (e.op) line.op = e.op;
    if (e.host) line.host = e.host;
    if (e.durationMs !== undefined) line.durationMs = e.durationMs;
    if (e.error) line.error = e.error;
    if (e.attempt !== undefined) line.attempt = e.attempt;
    if (e.reason) line.reason = e.reason;
    if (e.summary) {
      const s = e.summary;
      line.summary = {
        completed: s.completed.length,
        failed: s.failed.length,
        blocked: s.blocked.length,
        notStarted: s.notStarted.length,
        stepsRun: s.stepsRun,
        stepsSkipped: s.stepsSkipped,
      };
    }
    write(`${JSON.stringify(line)}\n`);
  };
}

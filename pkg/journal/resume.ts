// What the journal says about earlier runs, pure over its records: which actions an earlier
// run left unfinished (and which of their steps it finished), and which Nodes it left
// cordoned. The executor resumes from the first; the planner repairs the second.
import type { JournalRecord } from './journal.js';

/** Written after a run whose result was verified (plan empty): nothing before it needs resuming. */
export const CHECKPOINT_ACTION = '*';

export function isCheckpoint(r: JournalRecord): boolean {
  return r.actionId === CHECKPOINT_ACTION && r.stepId === '' && r.event === 'finished';
}

export interface InterruptedAction {
  actionId: string;
  /** Steps recorded finished since the action last finished as a whole. */
  finishedSteps: Set<string>;
  /** The step that was started but neither finished nor failed (the crash point), if any. */
  inFlightStep?: string;
}

export function interruptedActions(records: JournalRecord[]): Map<string, InterruptedAction> {
  const open = new Map<string, InterruptedAction>();
  for (const r of records) {
    if (isCheckpoint(r)) {
      open.clear();
      continue;
    }
    if (r.stepId === '') {
      // An action-level 'finished' closes it; 'failed' keeps its finished steps for the next run.
      if (r.event === 'finished') open.delete(r.actionId);
      continue;
    }
    const entry = open.get(r.actionId) ?? { actionId: r.actionId, finishedSteps: new Set<string>() };
    if (r.event === 'finished') {
      entry.finishedSteps.add(r.stepId);
      if (entry.inFlightStep === r.stepId) delete entry.inFlightStep;
    } else if (r.event === 'started') {
      entry.inFlightStep = r.stepId;
    } else if (r.event === 'failed' && entry.inFlightStep === r.stepId) {
      delete entry.inFlightStep;
    }
    open.set(r.actionId, entry);
  }
  for (const [id, entry] of open) if (entry.finishedSteps.size === 0 && !entry.inFlightStep) open.delete(id);
  return open;
}

/** What a journaled op did to its Node's schedulability (pkg/ops: OpDefinition.cordon). */
export type CordonEffectOf = (op: string) => 'cordons' | 'uncordons' | undefined;

/** Nodes whose last cordon by us (finished or interrupted) was not followed by an uncordon or a delete. */
export function nodesLeftCordoned(records: JournalRecord[], effectOf: CordonEffectOf): string[] {
  const cordoned = new Set<string>();
  for (const r of records) {
    if (isCheckpoint(r)) cordoned.clear();
    if (!r.node || !r.op) continue;
    const effect = effectOf(r.op);
    if (effect === 'cordons' && (r.event === 'started' || r.event === 'finished')) cordoned.add(r.node);
    if (effect === 'uncordons' && r.event === 'finished') cordoned.delete(r.node);
  }
  return [...cordoned].sort();
}

// Resume from the journal: which actions an earlier run left unfinished, which of their
// steps already finished, and which Nodes it left cordoned. Pure over the records.
import type { Action } from '../plan/types.js';
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

/** Nodes whose last cordon/drain by us (finished or interrupted) was not followed by an uncordon. */
export function nodesLeftCordoned(records: JournalRecord[]): string[] {
  const cordoned = new Set<string>();
  for (const r of records) {
    if (isCheckpoint(r)) cordoned.clear();
    if (!r.node) continue;
    if ((r.op === 'node.cordon' || r.op === 'node.drain') && (r.event === 'started' || r.event === 'finished')) cordoned.add(r.node);
    if (r.op === 'node.uncordon' && r.event === 'finished') cordoned.delete(r.node);
    if (r.op === 'node.delete' && r.event === 'finished') cordoned.delete(r.node);
  }
  return [...cordoned].sort();
}

/** The Node a node.* step is about. */
export function nodeOfStep(step: { op: string; host?: string; params?: Record<string, unknown> }): string | undefined {
  if (!step.op.startsWith('node.')) return undefined;
  const node = step.params?.node;
  return typeof node === 'string' ? node : step.host;
}

/**
 * Repair actions for Nodes an interrupted run left cordoned and that the fresh plan will not
 * uncordon itself. `isCordoned` is the live check (Node.spec.unschedulable from the snapshot).
 */
export function uncordonRepairs(
  records: JournalRecord[],
  plan: Action[],
  isCordoned: (node: string) => boolean,
  hostOfNode: (node: string) => string | undefined,
): Action[] {
  const planned = new Set(plan.flatMap((a) => a.steps.filter((s) => s.op === 'node.uncordon').map((s) => nodeOfStep(s))));
  return nodesLeftCordoned(records)
    .filter((node) => !planned.has(node) && isCordoned(node))
    .map((node) => {
      const host = hostOfNode(node);
      return {
        id: `uncordon-repair:${node}`,
        kind: 'sync-node-metadata' as const,
        change: '~' as const,
        hosts: host ? [host] : [],
        title: `uncordon node ${node}`,
        reason: `an interrupted run cordoned ${node} and did not uncordon it`,
        dependsOn: [],
        disruptive: false,
        serial: false,
        steps: [{ id: 'node.uncordon', op: 'node.uncordon' as const, ...(host ? { host } : {}), description: `uncordon node ${node}`, params: { node } }],
      };
    });
}

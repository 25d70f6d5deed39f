// Maps executor events to journal records (pkg/journal); node.* steps carry their Node's name
// so that a later run can see which Nodes this one left cordoned.
import type { JournalRecord, JournalWriter } from '../journal/journal.js';
import type { ExecutorEvent, Listener } from './types.js';

const KINDS: Partial<Record<ExecutorEvent['type'], JournalRecord['event']>> = {
  'step-started': 'started',
  'step-finished': 'finished',
  'step-failed': 'failed',
  'step-skipped': 'skipped',
  'action-finished': 'finished',
  'action-failed': 'failed',
};

export function journalListener(writer: JournalWriter, planHash: string | undefined, nodeOf: (actionId: string, stepId: string) => string | undefined): Listener {
  return (event) => {
    const kind = KINDS[event.type];
    if (!kind || !event.actionId) return;
    const record: JournalRecord = { ts: event.ts, runId: event.runId, actionId: event.actionId, stepId: event.stepId ?? '', event: kind };
    if (planHash) record.planHash = planHash;
    if (event.host) record.host = event.host;
    if (event.op) record.op = event.op;
    if (event.durationMs !== undefined) record.durationMs = event.durationMs;
    if (event.error) record.error = event.error;
    const node = event.stepId ? nodeOf(event.actionId, event.stepId) : undefined;
    if (node) record.node = node;
    writer.append(record);
  };
}

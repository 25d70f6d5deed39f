// The local journal: .kubeone/<cluster>/journal.jsonl beside the manifest. One JSON record
// per line, appended with O_APPEND and fsynced, so a SIGKILL loses at most the line being
// written (a torn last line is ignored when reading).
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExecutorEvent, Listener } from './types.js';

export interface JournalRecord {
  ts: string;
  runId: string;
  planHash?: string;
  actionId: string;
  /** '' for action-level records. */
  stepId: string;
  host?: string;
  op?: string;
  event: 'started' | 'finished' | 'failed' | 'skipped';
  durationMs?: number;
  error?: string;
  /** node.* steps: the Node the step is about (for the uncordon repair). */
  node?: string;
}

export function stateDir(baseDir: string, cluster: string): string {
  return join(baseDir, '.kubeone', cluster);
}

export function journalPath(baseDir: string, cluster: string): string {
  return join(stateDir(baseDir, cluster), 'journal.jsonl');
}

export class JournalWriter {
  private fd: number;
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.fd = openSync(path, 'a', 0o600);
  }

  append(record: JournalRecord): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Maps executor events to journal records; node steps carry the node name for repairs. */
export function journalListener(
  writer: JournalWriter,
  planHash: string | undefined,
  nodeOf: (actionId: string, stepId: string) => string | undefined,
): Listener {
  const kinds: Partial<Record<ExecutorEvent['type'], JournalRecord['event']>> = {
    'step-started': 'started',
    'step-finished': 'finished',
    'step-failed': 'failed',
    'step-skipped': 'skipped',
    'action-finished': 'finished',
    'action-failed': 'failed',
  };
  return (event) => {
    const kind = kinds[event.type];
    if (!kind || !event.actionId) return;
    const record: JournalRecord = {
      ts: event.ts,
      runId: event.runId,
      actionId: event.actionId,
      stepId: event.stepId ?? '',
      event: kind,
    };
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

export function readJournal(path: string): JournalRecord[] {
  if (!existsSync(path)) return [];
  const records: JournalRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      // A torn final line from a killed process: ignore it.
    }
  }
  return records;
}

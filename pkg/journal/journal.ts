// The local journal: .kubeone/<cluster>/journal.jsonl beside the manifest. One JSON record
// per line, appended with O_APPEND and fsynced, so a SIGKILL loses at most the line being
// written (a torn last line is ignored when reading). The executor writes it; the resume
// decisions and the planner's repair facts (resume.ts) read it.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

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

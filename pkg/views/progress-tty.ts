// Live per-host progress on a terminal: one line per host saying what it is doing, plus a
// done/total step counter; redrawn in place. Failures and retries are printed above it.
import type { ExecutorEvent, Listener } from '../executor/types.js';

interface HostLine {
  state: 'waiting' | 'running' | 'done' | 'failed';
  text: string;
}

export class TtyProgress {
  private readonly hosts = new Map<string, HostLine>();
  private total = 0;
  private done = 0;
  private drawn = 0;

  constructor(private readonly write: (text: string) => void, private readonly color = true) {}

  readonly listener: Listener = (e) => this.onEvent(e);

  private paint(code: string, text: string): string {
    return this.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }

  private line(host: string): HostLine {
    let l = this.hosts.get(host);
    if (!l) {
      l = { state: 'waiting', text: 'waiting' };
      this.hosts.set(host, l);
    }
    return l;
  }

  private onEvent(e: ExecutorEvent): void {
    const host = e.host ?? 'cluster';
    switch (e.type) {
      case 'run-started':
        this.total = e.totalSteps ?? 0;
        break;
      case 'step-started':
        Object.assign(this.line(host), { state: 'running', text: e.description ?? e.stepId ?? '' });
        break;
      case 'step-finished':
      case 'step-skipped':
        this.done++;
        Object.assign(this.line(host), { state: 'done', text: `${e.type === 'step-skipped' ? 'already done: ' : 'done: '}${e.description ?? e.stepId}` });
        break;
      case 'step-retry':
        this.above(this.paint('33', `retry ${host}: ${e.stepId} (attempt ${e.attempt}, next in ${Math.round((e.delayMs ?? 0) / 1000)}s): ${e.error}`));
        break;
      case 'step-failed':
        Object.assign(this.line(host), { state: 'failed', text: `failed: ${e.description ?? e.stepId}` });
        this.above(this.paint('31', `error ${host}: ${e.stepId}: ${e.error}`));
        break;
      case 'action-blocked':
        this.above(this.paint('33', `skipped ${e.actionTitle ?? e.actionId}: ${e.reason}`));
        break;
      case 'run-finished':
        this.redraw();
        this.drawn = 0;
        return;
      default:
        break;
    }
    this.redraw();
  }

  private above(text: string): void {
    this.clear();
    this.write(`${text}\n`);
  }

  private clear(): void {
    if (this.drawn > 0) this.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }

  private redraw(): void {
    this.clear();
    const marks = { waiting: ' ', running: this.paint('36', '>'), done: this.paint('32', '+'), failed: this.paint('31', 'x') };
    const width = Math.max(4, ...[...this.hosts.keys()].map((h) => h.length));
    const lines = [...this.hosts.entries()].map(([h, l]) => `${marks[l.state]} ${h.padEnd(width)}  ${l.text}`);
    lines.push(`  ${this.done}/${this.total} steps`);
    this.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}

// Which action may start when: a pure state machine over the plan's actions, no I/O, no clock.
// Serial (control-plane) actions run one at a time, the others up to `parallelism` at once,
// never two actions on the same host together; an action starts once everything it depends on
// is done, and is blocked when something it depends on failed, was blocked or cancelled.
import type { Action } from '../plan/types.js';

export type ActionState = 'pending' | 'running' | 'done' | 'failed' | 'blocked' | 'cancelled';

export interface Blocked {
  action: Action;
  /** The dependency that failed (or will never be done). */
  by: string;
  /** 'dependency': it failed, was blocked or cancelled; 'unsatisfiable': nothing running can ever satisfy it. */
  why: 'dependency' | 'unsatisfiable';
}

const UNSUCCESSFUL: ReadonlySet<ActionState> = new Set(['failed', 'blocked', 'cancelled']);

export class Scheduler {
  private readonly state = new Map<string, ActionState>();
  private readonly byId: Map<string, Action>;
  private readonly busyHosts = new Set<string>();
  private serialRunning = 0;
  private parallelRunning = 0;

  constructor(
    private readonly actions: readonly Action[],
    private readonly parallelism: number,
  ) {
    for (const a of actions) this.state.set(a.id, 'pending');
    this.byId = new Map(actions.map((a) => [a.id, a]));
  }

  stateOf(id: string): ActionState {
    // A dependency outside the plan was already satisfied.
    return this.state.get(id) ?? 'done';
  }

  get running(): number {
    return this.serialRunning + this.parallelRunning;
  }

  /** Pending actions that depend on a failed, blocked or cancelled one can never run: blocked now. */
  block(): Blocked[] {
    const out: Blocked[] = [];
    let changed = true;
    while (changed) {
      changed = false;
      for (const action of this.pending()) {
        const by = action.dependsOn.find((d) => UNSUCCESSFUL.has(this.stateOf(d)));
        if (by === undefined) continue;
        this.state.set(action.id, 'blocked');
        out.push({ action, by, why: 'dependency' });
        changed = true;
      }
    }
    return out;
  }

  /** Starts what can run now, in plan order; the started actions are `running` until `finish`. */
  start(): Action[] {
    const start: Action[] = [];
    for (const action of this.pending()) {
      if (!this.canStart(action)) continue;
      this.state.set(action.id, 'running');
      action.hosts.forEach((h) => this.busyHosts.add(h));
      if (action.serial) this.serialRunning++;
      else this.parallelRunning++;
      start.push(action);
    }
    return start;
  }

  finish(id: string, outcome: 'done' | 'failed' | 'cancelled'): void {
    const action = this.byId.get(id);
    if (!action || this.state.get(id) !== 'running') throw new Error(`scheduler: ${id} is not running`);
    action.hosts.forEach((h) => this.busyHosts.delete(h));
    if (action.serial) this.serialRunning--;
    else this.parallelRunning--;
    this.state.set(id, outcome);
  }

  /** The run was cancelled: nothing pending starts any more. */
  cancelPending(): Action[] {
    const cancelled = this.pending();
    for (const a of cancelled) this.state.set(a.id, 'cancelled');
    return cancelled;
  }

  /** Nothing runs and nothing could start: what is still pending waits for something that never comes. */
  blockStuck(): Blocked[] {
    return this.pending().map((action) => {
      this.state.set(action.id, 'blocked');
      return { action, by: action.dependsOn.find((d) => this.stateOf(d) !== 'done') ?? '(cycle)', why: 'unsatisfiable' as const };
    });
  }

  private pending(): Action[] {
    return this.actions.filter((a) => this.state.get(a.id) === 'pending');
  }

  private canStart(action: Action): boolean {
    if (!action.dependsOn.every((d) => this.stateOf(d) === 'done')) return false;
    if (action.hosts.some((h) => this.busyHosts.has(h))) return false;
    return action.serial ? this.serialRunning === 0 : this.parallelRunning < this.parallelism;
  }
}

// Collects actions, refusals and warnings while the stages run, then resolves dependencies
// on refused work and emits a deterministic topological order.
import type { ActionDraft, KindDeclaration } from './kind.js';
import type { Action, ActionKind, Refusal, RefusalRule } from './types.js';

export class PlanBuilder {
  private readonly actions = new Map<string, Action>();
  private readonly insertion: string[] = [];
  private readonly byKind = new Map<string, Action[]>();
  private readonly byKindAndHost = new Map<string, Action[]>();
  /** Ids of actions that would be needed but are refused, with the refusal's rule. */
  private readonly blocked = new Map<string, string>();
  readonly refusals: Refusal[] = [];
  readonly warnings: string[] = [];

  /**
   * Completes a stage's draft from its kind's declaration and adds it. Dependencies on ids
   * that are neither planned nor refused yet are dropped: a stage waits only for work that
   * earlier stages (or its own earlier drafts) planned.
   */
  add(draft: ActionDraft, declaration: KindDeclaration, onControlPlane: (host: string) => boolean): Action {
    if (!draft.id.startsWith(`${draft.kind}:`)) throw new Error(`planner bug: action id ${draft.id} does not start with its kind ${draft.kind}`);
    if (this.actions.has(draft.id)) throw new Error(`planner bug: duplicate action id ${draft.id}`);
    const serial = declaration.serial === 'on-control-planes' ? draft.hosts.some(onControlPlane) : declaration.serial;
    // The draft is handed over: no copy (plans over thousands of hosts are allocation-bound).
    const action = draft as unknown as Action;
    action.kind = draft.kind as ActionKind;
    action.change = draft.change ?? declaration.change;
    action.dependsOn = this.deps(...unique(draft.dependsOn ?? []));
    action.disruptive = draft.disruptive ?? declaration.disruptive;
    action.serial = draft.serial ?? serial;
    this.actions.set(action.id, action);
    this.insertion.push(action.id);
    push(this.byKind, action.kind, action);
    for (const host of action.hosts) push(this.byKindAndHost, `${action.kind}\u0000${host}`, action);
    return action;
  }

  /** A planned (not refused) action. */
  get(id: string): Action | undefined {
    return this.actions.get(id);
  }

  /** Every planned action so far, in the order they were added. */
  all(): Action[] {
    return this.insertion.flatMap((id) => this.actions.get(id) ?? []);
  }

  /** Planned actions of a kind (on one host), in the order they were added. */
  planned(kind: ActionKind, host?: string): readonly Action[] {
    return (host === undefined ? this.byKind.get(kind) : this.byKindAndHost.get(`${kind}\u0000${host}`)) ?? [];
  }

  /** Planned or refused: something a later action must wait for (or be refused with). */
  known(id: string): boolean {
    return this.actions.has(id) || this.blocked.has(id);
  }

  /** Keeps the ids that are planned or refused; dependencies on work that is not needed vanish. */
  deps(...ids: (string | undefined)[]): string[] {
    return ids.filter((id): id is string => id !== undefined && this.known(id));
  }

  /** Records that the actions `ids` are needed but refused. */
  refuse(refusal: Refusal & { rule: RefusalRule }, ids: string[] = []): void {
    this.refusals.push(refusal);
    for (const id of ids) this.blocked.set(id, refusal.rule);
  }

  isBlocked(id: string): boolean {
    return this.blocked.has(id);
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  /** Actions whose prerequisites are refused are refused too; the rest come out in a stable topological order. */
  finish(): { actions: Action[]; refusals: Refusal[]; warnings: string[] } {
    this.cascadeBlocked();
    return { actions: this.topologicalOrder(), refusals: this.refusals, warnings: this.warnings };
  }

  private cascadeBlocked(): void {
    let changed = true;
    while (changed) {
      changed = false;
      for (const id of this.insertion) {
        const action = this.actions.get(id);
        if (!action) continue;
        const refusedDep = action.dependsOn.find((dep) => this.blocked.has(dep));
        if (refusedDep === undefined) continue;
        this.actions.delete(id);
        this.blocked.set(id, this.blocked.get(refusedDep) ?? 'blocked');
        this.refusals.push({
          rule: 'blocked',
          hosts: action.hosts,
          message: `${action.title}: not planned because ${refusedDep} is refused`,
          hint: `resolve the refusal of ${refusedDep}, then plan again`,
        });
        changed = true;
      }
    }
  }

  /** Kahn's algorithm; among ready actions the earliest inserted goes first, so output is deterministic. */
  private topologicalOrder(): Action[] {
    const ids = this.insertion.filter((id) => this.actions.has(id));
    const index = new Map(ids.map((id, i) => [id, i]));
    const indegree = new Array<number>(ids.length).fill(0);
    const dependents: number[][] = ids.map(() => []);
    ids.forEach((id, i) => {
      const action = this.actions.get(id)!;
      action.dependsOn = action.dependsOn.filter((dep) => index.has(dep));
      for (const dep of action.dependsOn) {
        dependents[index.get(dep)!].push(i);
        indegree[i]++;
      }
    });
    const ready = new MinHeap();
    indegree.forEach((deg, i) => deg === 0 && ready.push(i));
    const out: Action[] = [];
    while (ready.size > 0) {
      const i = ready.pop();
      out.push(this.actions.get(ids[i])!);
      for (const j of dependents[i]) if (--indegree[j] === 0) ready.push(j);
    }
    if (out.length !== ids.length) throw new Error('planner bug: dependency cycle between actions');
    return out;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function unique(ids: string[]): string[] {
  return ids.length < 2 ? ids : [...new Set(ids)];
}

class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= a[i]) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

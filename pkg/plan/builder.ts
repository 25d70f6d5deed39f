// Collects actions, refusals and warnings while the stages run, then resolves dependencies
// on refused work and emits a deterministic topological order.
import type { ActionDraft, KindDeclaration } from './kind.js';
import type { Action, ActionKind, Refusal, RefusalRule } from './types.js';

export class PlanBuilder {
  private readonly actions = new Map<string, Action>();
  private readonly insertion: string[] = [];
  private readonly byKind = new Map<string, Action[]>();
  /** kind -> host -> actions (nested maps: no key string made per action). */
  private readonly byKindAndHost = new Map<string, Map<string, Action[]>>();
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
    // Made with its keys in sorted order: `plan -o json` prints the 5,000 actions of a large plan without copying them (canonicalView).
    const change = draft.change ?? declaration.change;
    const dependsOn = this.knownUnique(draft.dependsOn);
    const disruptive = draft.disruptive ?? declaration.disruptive;
    const kind = draft.kind as ActionKind;
    const action: Action =
      draft.objects === undefined && draft.valuesDiff === undefined
        ? { change, dependsOn, disruptive, hosts: draft.hosts, id: draft.id, kind, reason: draft.reason, serial: draft.serial ?? serial, steps: draft.steps, title: draft.title }
        : sortedAction({ change, dependsOn, disruptive, hosts: draft.hosts, id: draft.id, kind, objects: draft.objects, reason: draft.reason, serial: draft.serial ?? serial, steps: draft.steps, title: draft.title, valuesDiff: draft.valuesDiff });
    this.actions.set(action.id, action);
    this.insertion.push(action.id);
    push(this.byKind, action.kind, action);
    let byHost = this.byKindAndHost.get(kind);
    if (byHost === undefined) this.byKindAndHost.set(kind, (byHost = new Map()));
    for (const host of action.hosts) push(byHost, host, action);
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
    return (host === undefined ? this.byKind.get(kind) : this.byKindAndHost.get(kind)?.get(host)) ?? [];
  }

  /** Planned or refused: something a later action must wait for (or be refused with). */
  known(id: string): boolean {
    return this.actions.has(id) || this.blocked.has(id);
  }

  /** Keeps the ids that are planned or refused; dependencies on work that is not needed vanish. */
  deps(...ids: (string | undefined)[]): string[] {
    return ids.filter((id): id is string => id !== undefined && this.known(id));
  }

  /** The planned or refused ids of `ids`, each once, in their order (one array, no intermediate ones: called per action). */
  private knownUnique(ids: readonly string[] | undefined): string[] {
    const out: string[] = [];
    if (ids === undefined) return out;
    // A few ids (most actions): a linear look-up; many (the ownership record waits for thousands): a set.
    const seen = ids.length > 16 ? new Set<string>() : undefined;
    for (const id of ids) {
      if (!this.known(id)) continue;
      if (seen === undefined ? out.includes(id) : seen.has(id)) continue;
      seen?.add(id);
      out.push(id);
    }
    return out;
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
    let changed = this.blocked.size > 0;
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

  /**
   * Kahn's algorithm; among ready actions the earliest inserted goes first, so output is
   * deterministic. The dependents are kept as one flat list (offsets per action): a large
   * plan has tens of thousands of edges.
   */
  private topologicalOrder(): Action[] {
    const planned: Action[] = [];
    const index = new Map<string, number>();
    for (const id of this.insertion) {
      const action = this.actions.get(id);
      if (action === undefined) continue;
      index.set(id, planned.length);
      planned.push(action);
    }
    const n = planned.length;
    const indegree = new Int32Array(n);
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const action = planned[i]!;
      let deps = action.dependsOn;
      // Dependencies on actions refused since (cascadeBlocked) are dropped.
      if (!deps.every((dep) => index.has(dep))) action.dependsOn = deps = deps.filter((dep) => index.has(dep));
      indegree[i] = deps.length;
      for (const dep of deps) offsets[index.get(dep)! + 1]++;
    }
    for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i]!;
    const dependents = new Int32Array(offsets[n]!);
    const filled = offsets.slice(0, n);
    for (let i = 0; i < n; i++) for (const dep of planned[i]!.dependsOn) dependents[filled[index.get(dep)!]!++] = i;
    const ready = new MinHeap();
    for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
    const out: Action[] = [];
    while (ready.size > 0) {
      const i = ready.pop();
      out.push(planned[i]!);
      for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
        const j = dependents[e]!;
        if (--indegree[j] === 0) ready.push(j);
      }
    }
    if (out.length !== n) throw new Error('planner bug: dependency cycle between actions');
    return out;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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

/** An action with objects or values diffs: the members it does not have are left out, not undefined. */
function sortedAction(action: Action): Action {
  if (action.objects === undefined) delete action.objects;
  if (action.valuesDiff === undefined) delete action.valuesDiff;
  return action;
}

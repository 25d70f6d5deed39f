// Collects actions, refusals and warnings while the stages run, then resolves dependencies
// on refused work and emits a deterministic topological order.
import type { ActionDraft, KindDeclaration } from './kind.js';
import type { Action, ActionKind, Refusal, RefusalRule } from './types.js';

export class PlanBuilder {
  /** Planned actions in the order they were added; a refused one (cascadeBlocked) leaves a hole. */
  private readonly list: (Action | undefined)[] = [];
  /** Action id -> its position in `list` (also for the topological order: no second index). */
  private readonly index = new Map<string, number>();
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
    const { id, kind } = draft as ActionDraft<ActionKind>;
    if (!(id.startsWith(kind) && id.charCodeAt(kind.length) === COLON)) throw new Error(`planner bug: action id ${id} does not start with its kind ${kind}`);
    if (this.index.has(id)) throw new Error(`planner bug: duplicate action id ${id}`);
    const serial = draft.serial ?? (declaration.serial === 'on-control-planes' ? draft.hosts.some(onControlPlane) : declaration.serial);
    // Made with its keys in sorted order: `plan -o json` prints the 5,000 actions of a large plan without copying them (canonicalView).
    const change = draft.change ?? declaration.change;
    const dependsOn = this.knownUnique(draft.dependsOn);
    const disruptive = draft.disruptive ?? declaration.disruptive;
    const { hosts, reason, steps, title } = draft;
    const action: Action =
      draft.objects === undefined && draft.valuesDiff === undefined
        ? { change, dependsOn, disruptive, hosts, id, kind, reason, serial, steps, title }
        : sortedAction({ change, dependsOn, disruptive, hosts, id, kind, objects: draft.objects, reason, serial, steps, title, valuesDiff: draft.valuesDiff });
    this.index.set(id, this.list.length);
    this.list.push(action);
    push(this.byKind, kind, action);
    let byHost = this.byKindAndHost.get(kind);
    if (byHost === undefined) this.byKindAndHost.set(kind, (byHost = new Map()));
    for (const host of hosts) push(byHost, host, action);
    return action;
  }

  /** A planned (not refused) action. */
  get(id: string): Action | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.list[i];
  }

  /** Every planned action so far, in the order they were added. */
  all(): Action[] {
    return this.list.filter((a): a is Action => a !== undefined);
  }

  /** Planned actions of a kind (on one host), in the order they were added. */
  planned(kind: ActionKind, host?: string): readonly Action[] {
    return (host === undefined ? this.byKind.get(kind) : this.byKindAndHost.get(kind)?.get(host)) ?? [];
  }

  /** Planned or refused: something a later action must wait for (or be refused with). */
  known(id: string): boolean {
    return this.index.has(id) || this.blocked.has(id);
  }

  /** Keeps the ids that are planned or refused; dependencies on work that is not needed vanish. */
  deps(...ids: (string | undefined)[]): string[] {
    return ids.filter((id): id is string => id !== undefined && this.known(id));
  }

  /**
   * The planned or refused ids of `ids`, each once, in their order, in an array of that exact
   * length (called per action: a 5,000-action plan keeps them all).
   */
  private knownUnique(ids: readonly string[] | undefined): string[] {
    if (ids === undefined || ids.length === 0) return [];
    // Many ids (the ownership record waits for thousands): through a set.
    if (ids.length > 30) return [...new Set(ids.filter((id) => this.known(id)))];
    // A few (most actions): which to keep, as bits, then the array.
    let keep = 0;
    let count = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      // known() first: it hashes the id, which makes the comparisons of indexOf quick.
      if (this.known(id) && ids.indexOf(id) === i) {
        keep |= 1 << i;
        count++;
      }
    }
    if (count === ids.length) return ids.slice();
    const out = new Array<string>(count);
    for (let i = 0, j = 0; j < count; i++) if (keep & (1 << i)) out[j++] = ids[i]!;
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
      for (let i = 0; i < this.list.length; i++) {
        const action = this.list[i];
        if (!action) continue;
        const refusedDep = action.dependsOn.find((dep) => this.blocked.has(dep));
        if (refusedDep === undefined) continue;
        this.list[i] = undefined;
        this.index.delete(action.id);
        this.blocked.set(action.id, this.blocked.get(refusedDep) ?? 'blocked');
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
   * deterministic. Actions are numbered by their insertion position, and their dependents kept
   * as one flat list (offsets per action): a large plan has tens of thousands of edges.
   */
  private topologicalOrder(): Action[] {
    const { list, index } = this;
    const n = list.length;
    // Every dependency resolved to its action's number once: `edges[first[i]..first[i + 1])` are the
    // dependencies of action i (-1 for one refused since, by cascadeBlocked, which is dropped).
    const first = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) first[i + 1] = first[i]! + (list[i]?.dependsOn.length ?? 0);
    const edges = new Int32Array(first[n]!);
    const indegree = new Int32Array(n);
    const offsets = new Int32Array(n + 1);
    let planned = 0;
    for (let i = 0; i < n; i++) {
      const action = list[i];
      if (action === undefined) continue;
      planned++;
      let dropped = false;
      for (let d = 0; d < action.dependsOn.length; d++) {
        const j = index.get(action.dependsOn[d]!);
        edges[first[i]! + d] = j ?? -1;
        if (j === undefined) dropped = true;
        else {
          indegree[i]++;
          offsets[j + 1]++;
        }
      }
      if (dropped) action.dependsOn = action.dependsOn.filter((dep) => index.has(dep));
    }
    for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i]!;
    const dependents = new Int32Array(offsets[n]!);
    const filled = offsets.slice(0, n);
    for (let i = 0; i < n; i++) {
      for (let e = first[i]!; e < first[i + 1]!; e++) {
        const j = edges[e]!;
        if (j >= 0) dependents[filled[j]!++] = i;
      }
    }
    const ready = new MinHeap();
    for (let i = 0; i < n; i++) if (list[i] !== undefined && indegree[i] === 0) ready.push(i);
    const out: Action[] = [];
    while (ready.size > 0) {
      const i = ready.pop();
      out.push(list[i]!);
      for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
        const j = dependents[e]!;
        if (--indegree[j] === 0) ready.push(j);
      }
    }
    if (out.length !== planned) throw new Error('planner bug: dependency cycle between actions');
    return out;
  }
}

const COLON = 58;

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

// The planner is an ordered list of stages (stages.ts), read top to bottom. A stage plans
// the actions of its kinds (an action kind module is a stage with one kind, declared once) or
// only checks and refuses (a check stage: no kinds). Stages run in list order against one
// PlanBuilder: a later stage sees what earlier ones planned or refused, and that is the only
// state they share.
import type { PlanContext } from './context.js';
import type { ChangeSymbol, ObjectDiff, Step, ValuesChange } from './types.js';

/**
 * create: no cluster yet, a leader to init on. reconcile: the cluster answers and etcd has
 * quorum. degraded: the cluster exists but has no leader or lost quorum (only host-level work
 * is planned). reset: `kubeone reset`.
 */
export type PlanMode = 'create' | 'reconcile' | 'degraded' | 'reset';

/** What every action of a kind is, declared once in its module. */
export interface KindDeclaration {
  /** Terraform's symbol: '+' creates, '~' changes, '-' destroys. */
  change: ChangeSymbol;
  /** One at a time across the cluster (true), only when on a control plane, or in parallel (false). */
  serial: boolean | 'on-control-planes';
  /** Disrupts workloads (drain, reset, delete). */
  disruptive: boolean;
}

/** One action as a stage plans it; the builder completes it from the kind's declaration. */
export interface ActionDraft<K extends string = string> {
  kind: K;
  /** `<kind>:<host or name>[:<version>]`, stable across runs. */
  id: string;
  hosts: string[];
  title: string;
  reason: string;
  steps: Step[];
  /** Ids of actions it waits for; ids that are neither planned nor refused before it are dropped. */
  dependsOn?: readonly string[];
  objects?: ObjectDiff[];
  valuesDiff?: ValuesChange[];
  /** Where one action of the kind differs from the declaration (the module says why). */
  change?: ChangeSymbol;
  serial?: boolean;
  disruptive?: boolean;
}

export interface Stage<K extends string = never> {
  /** What the stage does, as docs/architecture.md lists it. */
  readonly name: string;
  /** The modes it runs in. */
  readonly when: readonly PlanMode[];
  /** The kinds it plans, each declared once. */
  readonly kinds: { readonly [P in K]: KindDeclaration };
  /** Its actions, in the order they are added; refusals and warnings go to ctx.b. */
  plan(ctx: PlanContext): readonly ActionDraft<K>[];
}

/** An action kind module: a stage that plans its kind. */
export type ActionKindModule<K extends string> = Stage<K>;

/** A stage that plans no action: it only warns or refuses. */
export type CheckStage = Stage<never>;

export const EVERY_CONVERGE_MODE: readonly PlanMode[] = ['create', 'reconcile', 'degraded'];

/** The kinds a stage list can plan. */
export type KindsOf<S> = S extends Stage<infer K> ? K : never;

// A step op is one definition: the shape of its params (a TypeScript type and the JSON schema
// a saved plan is checked against, tied together by the compiler), how it runs, how a resumed
// run tells that its effect is still there, what it changes, which Node it concerns, and its
// effect in the in-memory model the planner is tested with. The registry (registry.ts) maps
// every op name to its definition; nothing else decides how an op behaves.
import type { JSONSchemaType } from 'ajv';
import type { Action, DesiredState } from '../plan/types.js';
import type { HostFacts, NodeFacts, Snapshot } from '../snapshot/types.js';
import type { OpDeps } from './context.js';
import type { ModelWorld } from './model-world.js';

/** What running the op changes: the machine named by Step.host, the cluster (API, etcd), or nothing. */
export type OpTarget = 'host' | 'cluster' | 'nothing';

/** What the op does to the schedulability of its Node (journal: Nodes an interrupted run left cordoned). */
export type CordonEffect = 'cordons' | 'uncordons';

/** Where a step runs and what it belongs to, as the op sees it. */
export interface StepRef {
  id: string;
  /** ResolvedHost.name; absent for cluster-level steps. */
  host?: string;
}

export interface OpContext {
  deps: OpDeps;
  step: StepRef;
  action: Action;
  runId: string;
  signal: AbortSignal;
}

/** What a resumed run knows when it decides whether a step an earlier run finished can be skipped. */
export interface ResumeView {
  snapshot: Snapshot;
  desired: DesiredState;
  /** Step.host. */
  hostName: string | undefined;
  /** Facts of Step.host (undefined for cluster-level steps or unknown hosts). */
  host: HostFacts | undefined;
  /** The Node the step concerns (OpDefinition.node), as the fresh snapshot shows it. */
  node: NodeFacts | undefined;
}

/** JSON schema of the params, checked against P by the compiler; null when the op takes none. */
export type ParamsSchema<P> = [P] extends [undefined] ? null : JSONSchemaType<P>;

export interface OpDefinition<P> {
  /** One line: what the op does (docs and `plan -v`). */
  summary: string;
  params: ParamsSchema<P>;
  changes: OpTarget;
  /** Writes an in-flight marker on Step.host while it runs, so the probe sees a run that died mid-step. */
  marksInflight: boolean;
  /** The Node the step concerns, from its params. */
  node?: (params: P) => string;
  cordon?: CordonEffect;
  /** Runs the step; idempotent (a re-run changes nothing that is already right). */
  run(ctx: OpContext, params: P): Promise<void>;
  /** An earlier run finished this step: is its effect still visible in the fresh snapshot? false runs it again. */
  stillDone(view: ResumeView, params: P): boolean;
  /** The step's effect on the model of the cluster, as the next probe would observe it. */
  model(world: ModelWorld, params: P, host: string | undefined): void;
}

/** Identity with the params type spelled once: `defineOp<{ node: string }>({...})`. */
export function defineOp<P = undefined>(definition: OpDefinition<P>): OpDefinition<P> {
  return definition;
}

/** The params type of a definition. */
export type ParamsOf<D> = D extends OpDefinition<infer P> ? P : never;

// The plan: what `kubeone plan` shows and `kubeone apply` executes. Plain, serializable,
// deterministic data. A plan is bound to the snapshot and manifest it was computed from
// (their hashes): apply refuses a saved plan whose snapshot no longer matches.

export const PLAN_FORMAT = 'kubeone.plan/v1';

/** How an action changes the world, as Terraform shows it. */
export type ChangeSymbol = '+' | '~' | '-';

// The action kinds are declared by the stage modules and listed once, in pkg/plan/stages.ts.
export type { ActionKind } from './stages.js';
import type { ActionKind } from './stages.js';


// The step ops (their names, params and behaviour) are defined in pkg/ops/registry.ts; the
// planner only names them (types only: nothing here runs an op).
export type { StepOp, StepParamsByOp } from '../ops/registry.js';
import type { StepOp, StepParamsByOp } from '../ops/registry.js';

// Object identity and hashed objects are shared with the snapshot's addon facts.
import type { HashedObject, ObjectRef } from '../snapshot/types.js';

/**
 * One journaled unit of work: after it finishes it is never redone within the same plan.
 * A union over the ops, so `params` has the shape of its op.
 */
export type Step = { [Op in StepOp]: StepOf<Op> }[StepOp];

export type StepOf<Op extends StepOp> = {
  /** Unique within the action, stable: `<op>` or `<op>:<discriminator>`. */
  id: string;
  op: Op;
  /** Host (ResolvedHost.name) the step runs on or is about; absent for cluster-level steps. */
  host?: string;
  /** Human text, e.g. "drain node worker-1". */
  description: string;
} & (StepParamsByOp[Op] extends undefined
  ? { params?: undefined }
  : {
      /** Operation parameters (versions, object lists). Never secrets. */
      params: StepParamsByOp[Op];
    });

/** A field-level difference of one addon object (fast-json-patch operations). */
export interface ObjectDiff extends ObjectRef {
  change: ChangeSymbol;
  /** RFC 6902 operations from live to desired (only for '~'). */
  patch?: { op: string; path: string; value?: unknown; from?: string }[];
}

export interface Action {
  /** Stable id derived from kind, hosts and target, e.g. `upgrade-control-plane:cp-1:1.35.1`. */
  id: string;
  kind: ActionKind;
  change: ChangeSymbol;
  /** Hosts (ResolvedHost.name) this action touches; empty for cluster-wide actions. */
  hosts: string[];
  /** One-line title: `upgrade control plane cp-1 to 1.35.1`. */
  title: string;
  /** Why: the observed fact and the desired field, e.g. `kubelet 1.34.3 on cp-2, versions.kubernetes is 1.35.1`. For humans only. */
  reason: string;
  /** Ids of actions that must finish before this one starts. */
  dependsOn: string[];
  /** Whether running it disrupts workloads (drain, reset, delete). */
  disruptive: boolean;
  /** Control-plane actions run one at a time; workers may run in parallel batches. */
  serial: boolean;
  steps: Step[];
  /** Addon actions: the objects created/changed/deleted. */
  objects?: ObjectDiff[];
  /** Helm release actions: the release's values from live to desired (RFC 6902), secrets redacted. */
  valuesDiff?: ValuesChange[];
}

/** One change of Helm values (fast-json-patch operation) between two redacted views. */
export interface ValuesChange {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

export interface Refusal {
  /** Rule id, e.g. `downgrade`, `skew`, `quorum`, `no-leader`, `unreachable`. */
  rule: string;
  hosts: string[];
  message: string;
  /** What the user can do about it. */
  hint: string;
}

export interface Plan {
  formatVersion: typeof PLAN_FORMAT;
  snapshotHash: string;
  manifestHash: string;
  actions: Action[];
  refusals: Refusal[];
  warnings: string[];
}

export interface PlanOptions {
  /** Worker upgrades per batch (default 1). */
  workerBatchSize?: number;
  /** Renew control-plane certificates expiring within this many days (default 90). */
  certRenewalDays?: number;
  /** Renew the control-plane certificates regardless of expiry (`kubeone certificates renew`; a one-time request). */
  renewCertificates?: boolean;
  /** Upgrade every joined host even at the desired version (`apply --force-upgrade`; a one-time request). */
  forceUpgrade?: boolean;
  /** Install the kube binaries again on hosts at the desired version (`apply --force-install`; a one-time request). */
  forceInstall?: boolean;
  /** Remove unused container images from each host after its upgrade (`apply --prune-images`). */
  pruneImages?: boolean;
  /**
   * Plan only the stages of these kinds (check stages always run): a command that does one
   * part of apply (`certificates renew`, `apply --no-init`) and nothing else.
   */
  only?: readonly ActionKind[];
  /** The point in time certificate expiry is compared with (ISO 8601); passed in so the planner stays pure. */
  now: string;
  /** Patch version to use for an intermediate minor of a multi-minor upgrade, e.g. { '1.35': '1.35.1' }. */
  intermediateVersions?: Record<string, string>;
  /** Plan the removal of everything (kubeone reset). */
  reset?: boolean;
  /** With reset: also remove the kube binaries. */
  removeBinaries?: boolean;
  /** With reset: first delete the Services of type LoadBalancer (`--remove-lb-services`). */
  removeLbServices?: boolean;
  /** With reset: first delete the PersistentVolumeClaims and wait for their volumes (`--remove-volumes`). */
  removeVolumes?: boolean;
  /** With reset: first delete machine-controller's MachineDeployments and wait for their Machines and Nodes (`--destroy-workers`, default true). */
  destroyWorkers?: boolean;
  /** `apply --create-machine-deployments` (default true): create the MachineDeployments of dynamicWorkers on the first install. */
  createMachineDeployments?: boolean;
  /** `apply --upgrade-machine-deployments`: set their kubelet version to versions.kubernetes (a one-time request). */
  upgradeMachineDeployments?: boolean;
  /** What the journal says earlier runs left behind (read at the edge, pkg/journal), for the repairs. */
  interrupted?: InterruptedRuns;
  /** `apply --rotate-encryption-key`: replace the primary key of the generated encryption configuration. */
  rotateEncryptionKey?: boolean;
}

export interface InterruptedRuns {
  /** Nodes a run of ours cordoned and did not uncordon (nor delete). */
  nodesLeftCordoned: string[];
  /** Helm releases (`namespace/name`) a run of ours was running helm on when it was interrupted. */
  helmReleases?: string[];
}

/** One object an addon renders, as the planner compares it with the live one. */
export type RenderedObject = HashedObject;

export interface RenderedAddon {
  name: string;
  source: 'embedded' | 'custom';
  objects: RenderedObject[];
}

/**
 * Everything the planner needs on the desired side. Rendering (files, addons) happens
 * before planning, at the edge that may read files, so the planner itself stays pure.
 */
export interface DesiredState {
  cluster: import('../api/types.js').LoadedCluster;
  /** sha256 of the canonical defaulted manifest (credentials excluded). */
  manifestHash: string;
  /** host name -> path -> sha256 of every file the tool renders onto that host. */
  managedFiles: Record<string, Record<string, string>>;
  /**
   * The ClusterConfiguration the tool would upload (kubeadm.k8s.io/v1beta4), for control-plane
   * flag drift: the rendered one plus the live flags and volumes it keeps (`keptSettings`).
   */
  clusterConfiguration: Record<string, unknown>;
  /** Live control-plane flags and volumes the manifest does not render but that stay: not this tool's (pkg/ownership). */
  keptSettings?: import('../ownership/control-plane.js').KeptSetting[];
  /** Addons the manifest deletes, whoever applied them (pkg/addons addonDeletions). */
  addonDeletions?: { name: string; reason: string }[];
  /** Rendered addons; null when addons were not evaluated (e.g. no cluster yet is still evaluated: [] means none). */
  addons: RenderedAddon[] | null;
  /** Encryption at rest as the manifest asks it (no key material); absent means off. */
  encryption?: import('../encryption/desired.js').DesiredEncryption;
  /** The Helm releases of the manifest (pkg/helm desiredHelmReleases); absent when not evaluated. Values stay in memory. */
  helmReleases?: import('../helm/types.js').DesiredHelmRelease[];
}

/** Refusal rules the planner emits (Refusal.rule). */
export const REFUSAL_RULES = ['unreachable', 'downgrade', 'skew', 'quorum', 'no-leader', 'blocked', 'encryption', 'chart-unavailable', 'release-pending', 'upgrade-in-progress'] as const;
export type RefusalRule = (typeof REFUSAL_RULES)[number];

export type { ObjectRef };

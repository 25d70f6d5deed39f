// Param shapes several ops share, each with its JSON schema (the schema a saved plan's
// params are checked against; ajv's JSONSchemaType ties it to the TypeScript type).
import type { JSONSchemaType } from 'ajv';
import type { ObjectRef } from '../plan/types.js';
import { ALL_COMPONENTS, type KubeComponent } from '../scripts/binaries.js';

/** `1.35.1`, or `1.35` for an intermediate minor without a patch release given. */
export const VERSION: JSONSchemaType<string> = { type: 'string', pattern: '^\\d+\\.\\d+(\\.\\d+)?$' };

/** A host (ResolvedHost.name: hostname or address[:port]) or Node name: no spaces, quotes or shell characters. */
/** Kubernetes object names (DNS-1123 subdomains). */
export const OBJECT_NAMES: JSONSchemaType<string[]> = { type: 'array', items: { type: 'string', pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$', maxLength: 253 } };
export const NAME: JSONSchemaType<string> = { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9\\[]([A-Za-z0-9._:\\[\\]-]*[A-Za-z0-9\\]])?$' };

export const COMPONENTS: JSONSchemaType<KubeComponent[]> = {
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string', enum: ALL_COMPONENTS },
};

export const OBJECT_REF: JSONSchemaType<ObjectRef> = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'namespace', 'name'],
  properties: {
    apiVersion: { type: 'string', minLength: 1 },
    kind: { type: 'string', minLength: 1 },
    namespace: { type: 'string' },
    name: { type: 'string', minLength: 1 },
  },
};

export interface NodeParams {
  node: string;
}

export const NODE_PARAMS: JSONSchemaType<NodeParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['node'],
  properties: { node: NAME },
};

/**
 * KubeOne's mark on a Node while kubeone upgrades it: set before the drain, removed with the
 * uncordon. KubeOne refuses to upgrade a cluster where a Node carries it (a run is under way,
 * or one died); so does the planner, unless the run was ours (pkg/plan/kinds/upgrade.ts).
 */
export const UPGRADE_IN_PROGRESS_LABEL = 'kubeone.io/upgrade-in-progress';

/** The Node's labels carry UPGRADE_IN_PROGRESS_LABEL (an own member: never a prototype's). */
export const upgradeMarked = (labels: Record<string, string>): boolean => Object.hasOwn(labels, UPGRADE_IN_PROGRESS_LABEL);

/** node.cordon / node.uncordon: `upgrade` also sets / removes UPGRADE_IN_PROGRESS_LABEL (an upgrade's cordon and uncordon). */
export interface CordonParams {
  node: string;
  upgrade?: boolean;
}

export const CORDON_PARAMS: JSONSchemaType<CordonParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['node'],
  properties: { node: NAME, upgrade: { type: 'boolean', nullable: true } },
};

/** What every op on a Node object (through the Kubernetes API) shares: it changes the cluster, not a host. */
export const NODE_OP = {
  params: NODE_PARAMS,
  changes: 'cluster',
  marksInflight: false,
  node: ({ node }: NodeParams) => node,
} as const;

export interface AddonObjectsParams {
  addon: string;
  objects: ObjectRef[];
}

export const ADDON_OBJECTS_PARAMS: JSONSchemaType<AddonObjectsParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['addon', 'objects'],
  properties: {
    addon: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
    objects: { type: 'array', minItems: 1, items: OBJECT_REF },
  },
};

export interface VersionParams {
  version: string;
}

export const VERSION_PARAMS: JSONSchemaType<VersionParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: { version: VERSION },
};

// node.metadata: labels, annotations and taints of a Node follow the manifest. A key ending in
// `-` (kubectl style) removes that key; taints, when given, are the full desired list.
import type { JSONSchemaType } from 'ajv';
import { applyMapChanges } from './model-world.js';
import { NAME } from './params.js';
import { defineOp } from './types.js';

export interface NodeMetadataParams {
  node: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints?: NodeTaint[];
}

export interface NodeTaint {
  key: string;
  value?: string;
  effect: string;
}

const STRING_MAP: JSONSchemaType<Record<string, string>> = { type: 'object', required: [], additionalProperties: { type: 'string' } };

const PARAMS: JSONSchemaType<NodeMetadataParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['node', 'labels', 'annotations'],
  properties: {
    node: NAME,
    labels: STRING_MAP,
    annotations: STRING_MAP,
    taints: {
      type: 'array',
      nullable: true,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'effect'],
        properties: { key: { type: 'string', minLength: 1 }, value: { type: 'string', nullable: true }, effect: { type: 'string', minLength: 1 } },
      },
    },
  },
};

/** The plan's `key-` (kubectl style) means remove: null in a JSON merge patch. */
export function toMergePatch(changes: Record<string, string>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (key.endsWith('-')) out[key.slice(0, -1)] = null;
    else out[key] = value;
  }
  return out;
}

export const nodeMetadata = defineOp<NodeMetadataParams>({
  summary: 'set and remove labels and annotations, replace the taints of the Node',
  params: PARAMS,
  changes: 'cluster',
  marksInflight: false,
  node: ({ node }) => node,
  async run({ deps }, { node, labels, annotations, taints }) {
    await (await deps.kube()).patchNode(node, { labels: toMergePatch(labels), annotations: toMergePatch(annotations), ...(taints ? { taints } : {}) });
  },
  // The planner compares the metadata again on every run: the journal is trusted.
  stillDone: () => true,
  model(world, { node, labels, annotations, taints }) {
    const n = world.node(node);
    if (!n) throw new Error(`model: node.metadata on missing node ${node}`);
    applyMapChanges(n.labels, labels);
    applyMapChanges(n.annotations, annotations);
    if (taints) n.taints = structuredClone(taints);
  },
});

// node.metadata: labels, annotations and taints of a Node follow the manifest. A key ending in
// `-` (kubectl style) removes that key. `taints` are set (replacing a live taint of the same key
// and effect) and `removeTaints` removed; every other taint of the Node stays as it is.
import type { JSONSchemaType } from 'ajv';
import { applyMapChanges } from './model-world.js';
import { PreconditionError } from './errors.js';
import { NAME } from './params.js';
import { defineOp } from './types.js';

export interface NodeMetadataParams {
  node: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Taints the Node must have. */
  taints?: NodeTaint[];
  /** Taints (key and effect) the Node must not have. */
  removeTaints?: { key: string; effect: string }[];
}

export interface NodeTaint {
  key: string;
  value?: string;
  effect: string;
}

const STRING_MAP: JSONSchemaType<Record<string, string>> = { type: 'object', required: [], additionalProperties: { type: 'string' } };

const NON_EMPTY = { type: 'string', minLength: 1 } as const;

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
      items: { type: 'object', additionalProperties: false, required: ['key', 'effect'], properties: { key: NON_EMPTY, value: { type: 'string', nullable: true }, effect: NON_EMPTY } },
    },
    removeTaints: {
      type: 'array',
      nullable: true,
      items: { type: 'object', additionalProperties: false, required: ['key', 'effect'], properties: { key: NON_EMPTY, effect: NON_EMPTY } },
    },
  },
};

/** The live taints with `remove` and the replaced ones taken out and `add` put in (live order kept). */
export function mergeTaints(live: readonly NodeTaint[], add: readonly NodeTaint[] = [], remove: readonly { key: string; effect: string }[] = []): NodeTaint[] {
  const same = (a: { key: string; effect: string }, b: { key: string; effect: string }): boolean => a.key === b.key && a.effect === b.effect;
  const kept = live.filter((t) => !remove.some((r) => same(r, t)) && !add.some((a) => same(a, t)));
  return [...kept, ...add].map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect }));
}

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
  summary: 'set and remove labels, annotations and taints of the Node (others are kept)',
  params: PARAMS,
  changes: 'cluster',
  marksInflight: false,
  node: ({ node }) => node,
  async run({ deps }, { node, labels, annotations, taints, removeTaints }) {
    const kube = await deps.kube();
    // The taint list is replaced as a whole by a merge patch: built from the live one, so that
    // taints set by others stay.
    let list: NodeTaint[] | undefined;
    if (taints?.length || removeTaints?.length) {
      const live = await kube.getNode(node);
      if (!live) throw new PreconditionError(`node.metadata: Node ${node} does not exist`);
      list = mergeTaints(live.taints, taints, removeTaints);
    }
    await kube.patchNode(node, { labels: toMergePatch(labels), annotations: toMergePatch(annotations), ...(list ? { taints: list } : {}) });
  },
  // The planner compares the metadata again on every run: the journal is trusted.
  stillDone: () => true,
  model(world, { node, labels, annotations, taints, removeTaints }) {
    const n = world.node(node);
    if (!n) throw new Error(`model: node.metadata on missing node ${node}`);
    applyMapChanges(n.labels, labels);
    applyMapChanges(n.annotations, annotations);
    n.taints = mergeTaints(n.taints, taints, removeTaints);
  },
});

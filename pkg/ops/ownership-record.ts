// ownership.record: writes the ownership record (what this tool applied: addon objects,
// control-plane flags, volumes and files, Node metadata) into ConfigMap
// kube-system/kubeone-ownership, after the actions whose effects it records. pkg/ownership.
import type { JSONSchemaType } from 'ajv';
import {
  OWNERSHIP_CONFIGMAP,
  OWNERSHIP_FORMAT,
  OWNERSHIP_KEY,
  OWNERSHIP_NAMESPACE,
  canonicalRecord,
  sameRecord,
  serializeRecord,
  type OwnershipRecord,
} from '../ownership/record.js';
import { defineOp } from './types.js';

export interface OwnershipRecordParams {
  record: OwnershipRecord;
}

const NAMES: JSONSchemaType<string[]> = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 512 } };
const OPTIONAL_NAMES = { ...NAMES, nullable: true } as const;
const COMPONENT_NAMES: JSONSchemaType<OwnershipRecord['controlPlane']['flags']> = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: { apiServer: OPTIONAL_NAMES, controllerManager: OPTIONAL_NAMES, scheduler: OPTIONAL_NAMES, etcd: OPTIONAL_NAMES },
};

const PARAMS: JSONSchemaType<OwnershipRecordParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['record'],
  properties: {
    record: {
      type: 'object',
      additionalProperties: false,
      required: ['formatVersion', 'addons', 'controlPlane', 'nodes'],
      properties: {
        formatVersion: { type: 'string', const: OWNERSHIP_FORMAT },
        addons: { type: 'object', required: [], additionalProperties: NAMES },
        controlPlane: {
          type: 'object',
          additionalProperties: false,
          required: ['flags', 'volumes', 'files'],
          properties: { flags: COMPONENT_NAMES, volumes: COMPONENT_NAMES, files: NAMES },
        },
        nodes: {
          type: 'object',
          required: [],
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['labels', 'annotations', 'taints'],
            properties: { labels: NAMES, annotations: NAMES, taints: NAMES },
          },
        },
      },
    },
  },
};

export const ownershipRecordOp = defineOp<OwnershipRecordParams>({
  summary: `write what kubeone applied into ConfigMap ${OWNERSHIP_NAMESPACE}/${OWNERSHIP_CONFIGMAP}`,
  params: PARAMS,
  changes: 'cluster',
  marksInflight: false,
  async run({ deps }, { record }) {
    await (await deps.kube()).putConfigMap(OWNERSHIP_NAMESPACE, OWNERSHIP_CONFIGMAP, { [OWNERSHIP_KEY]: serializeRecord(record) }, { 'app.kubernetes.io/managed-by': 'kubeone' });
  },
  stillDone: ({ snapshot }, { record }) => sameRecord(snapshot.state.kube?.ownership, record),
  model(world, { record }) {
    if (!world.kube) throw new Error('model: ownership.record without a cluster');
    world.kube.ownership = canonicalRecord(record);
  },
});

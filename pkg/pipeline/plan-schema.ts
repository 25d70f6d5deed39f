// The JSON schema of a plan (schemas/plan-v1.json), generated from the definitions it
// describes: the action kinds of the planner's stage lists, each step op's params schema from
// the op registry, the refusal rules. `npm run gen:schemas` writes the file; a unit test
// checks that the shipped file is what this function produces.
import { OPS, STEP_OPS } from '../ops/registry.js';
import type { OpDefinition } from '../ops/types.js';
import { NAME } from '../ops/params.js';
import { ACTION_KINDS } from '../plan/stages.js';
import { PLAN_FORMAT, REFUSAL_RULES } from '../plan/types.js';

const ACTION_ID = { type: 'string', pattern: '^[a-z-]+:[^\\s]+$' };

function stepParamsRules(): object[] {
  return STEP_OPS.map((op) => {
    const params = (OPS[op] as OpDefinition<unknown>).params;
    return {
      if: { properties: { op: { const: op } } },
      then: params === null ? { properties: { params: false } } : { required: ['params'], properties: { params } },
    };
  });
}

export function planSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'urn:kubeone-ts:schema:plan-v1',
    title: `kubeone plan (${PLAN_FORMAT})`,
    description:
      'What `kubeone plan -o json` prints and `kubeone plan --out FILE` saves: an ordered action plan bound to the snapshot and manifest it was computed from. Generated from the planner and the op registry (npm run gen:schemas).',
    type: 'object',
    additionalProperties: false,
    required: ['formatVersion', 'snapshotHash', 'manifestHash', 'actions', 'refusals', 'warnings'],
    properties: {
      formatVersion: { const: PLAN_FORMAT },
      snapshotHash: {
        type: 'string',
        pattern: '^([0-9a-f]{64}|)$',
        description: 'sha256 of the canonical snapshot state the plan was computed from; apply refuses the plan when a fresh snapshot differs.',
      },
      manifestHash: { type: 'string', pattern: '^([0-9a-f]{64}|)$', description: 'sha256 of the canonical defaulted manifest (credentials excluded).' },
      actions: { type: 'array', items: { $ref: '#/definitions/action' }, description: 'In execution order (a topological order of dependsOn).' },
      refusals: { type: 'array', items: { $ref: '#/definitions/refusal' } },
      warnings: { type: 'array', items: { type: 'string' } },
    },
    definitions: {
      change: { enum: ['+', '~', '-'] },
      action: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'kind', 'change', 'hosts', 'title', 'reason', 'dependsOn', 'disruptive', 'serial', 'steps'],
        properties: {
          id: { ...ACTION_ID, description: '<kind>:<host>[:<version>], apply-addon:<name> or <kind>:<namespace>/<release>; stable across runs.' },
          kind: { enum: [...ACTION_KINDS] },
          change: { $ref: '#/definitions/change' },
          hosts: { type: 'array', items: NAME },
          title: { type: 'string', minLength: 1 },
          reason: { type: 'string', minLength: 1, description: 'The observed fact and the desired field.' },
          dependsOn: { type: 'array', items: ACTION_ID, uniqueItems: true },
          disruptive: { type: 'boolean' },
          serial: { type: 'boolean' },
          steps: { type: 'array', minItems: 1, items: { $ref: '#/definitions/step' } },
          objects: { type: 'array', items: { $ref: '#/definitions/objectDiff' } },
          valuesDiff: {
            type: 'array',
            items: { $ref: '#/definitions/patchOperation' },
            description: 'Helm release actions: the values from live to desired, secrets redacted.',
          },
        },
      },
      patchOperation: {
        type: 'object',
        required: ['op', 'path'],
        additionalProperties: false,
        properties: {
          op: { enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
          path: { type: 'string' },
          value: {},
          from: { type: 'string' },
        },
      },
      step: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'op', 'description'],
        properties: {
          id: { type: 'string', pattern: '^[a-zA-Z.]+(:[^\\s]+)?$' },
          op: { enum: [...STEP_OPS] },
          host: NAME,
          description: { type: 'string', minLength: 1 },
          params: { type: 'object' },
        },
        allOf: stepParamsRules(),
        description: 'One journaled unit of work; the params of each op as its definition in pkg/ops declares them.',
      },
      objectDiff: {
        type: 'object',
        additionalProperties: false,
        required: ['apiVersion', 'kind', 'namespace', 'name', 'change'],
        properties: {
          apiVersion: { type: 'string', minLength: 1 },
          kind: { type: 'string', minLength: 1 },
          namespace: { type: 'string' },
          name: { type: 'string', minLength: 1 },
          change: { $ref: '#/definitions/change' },
          patch: { type: 'array', items: { $ref: '#/definitions/patchOperation' } },
        },
      },
      refusal: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'hosts', 'message', 'hint'],
        properties: {
          rule: { enum: [...REFUSAL_RULES], description: 'The rule that refuses the change (see docs/plan.md).' },
          hosts: { type: 'array', items: { type: 'string', minLength: 1 } },
          message: { type: 'string', minLength: 1 },
          hint: { type: 'string', minLength: 1 },
        },
      },
    },
  };
}

/** The schema file's text: two-space JSON, trailing newline. */
export function planSchemaText(): string {
  return `${JSON.stringify(planSchema(), null, 2)}\n`;
}

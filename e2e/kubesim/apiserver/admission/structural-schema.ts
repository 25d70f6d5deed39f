// Custom resources against their CRD's structural schema (openAPIV3Schema), as the real
// apiextensions-apiserver treats them: unknown fields are pruned (rejected with
// fieldValidation=Strict), then types, required fields, enums, patterns, formats, bounds and
// sizes are validated, with the real server's field paths and messages. CRDs themselves must be
// structural (every specified field has a type) and, in the protected *.k8s.io and
// *.kubernetes.io groups, carry the api-approved.kubernetes.io annotation.
// Not imitated: x-kubernetes-validations (CEL rules), defaults, x-kubernetes-embedded-resource
// metadata checks, and the warnings the server returns for pruned fields.

export type Schema = Record<string, unknown>;

export interface FieldError {
  field: string;
  reason: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueTypeInvalid' | 'FieldValueForbidden';
  message: string;
}

type Value = unknown;
const isObject = (v: Value): v is Record<string, Value> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
const props = (s: Schema): Record<string, Schema> => (isObject(s.properties) ? (s.properties as Record<string, Schema>) : {});
const additional = (s: Schema): Schema | boolean | undefined => s.additionalProperties as Schema | boolean | undefined;

/** The fields the root of every object has besides its schema's (never pruned here). */
const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Removes the fields the schema does not declare (in place) and returns their paths. A level
 * with x-kubernetes-preserve-unknown-fields keeps them; additionalProperties declares every key.
 */
export function prune(value: Value, schema: Schema | undefined, path = '', root = true): string[] {
  if (!schema) return [];
  const removed: string[] = [];
  if (Array.isArray(value)) {
    if (isObject(schema.items)) value.forEach((v, i) => removed.push(...prune(v, schema.items as Schema, `${path}[${i}]`, false)));
    return removed;
  }
  if (!isObject(value)) return removed;
  const declared = props(schema);
  const extra = additional(schema);
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  for (const key of Object.keys(value)) {
    if (root && ROOT_FIELDS.has(key)) continue;
    const sub = declared[key] ?? (isObject(extra) ? (extra as Schema) : undefined);
    if (sub) removed.push(...prune(value[key], sub, join(path, key), false));
    else if (!preserve && extra !== true) {
      delete value[key];
      removed.push(join(path, key));
    }
  }
  return removed;
}

function typeName(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function quoted(v: Value): string {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Every violation of the schema in `value` (pruned first), with the field path. */
export function validateAgainstSchema(value: Value, schema: Schema | undefined, path = '', root = true): FieldError[] {
  if (!schema) return [];
  const out: FieldError[] = [];
  const at = path || '<root>';
  const type = schema.type as string | undefined;
  if (value === null) {
    if (schema.nullable === true) return out;
    if (type) out.push({ field: at, reason: 'FieldValueTypeInvalid', message: `Invalid value: "null": ${at} in body must be of type ${type}: "null"` });
    return out;
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) {
      out.push({ field: at, reason: 'FieldValueTypeInvalid', message: `Invalid value: "${typeName(value)}": ${at} in body must be of type integer,string: "${typeName(value)}"` });
      return out;
    }
  } else if (type) {
    const actual = typeName(value);
    const ok = type === actual || (type === 'number' && actual === 'integer');
    if (!ok) {
      out.push({ field: at, reason: 'FieldValueTypeInvalid', message: `Invalid value: "${actual}": ${at} in body must be of type ${type}: "${actual}"` });
      return out;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    out.push({ field: at, reason: 'FieldValueNotSupported', message: `Unsupported value: ${quoted(value)}: supported values: ${(schema.enum as Value[]).map(quoted).join(', ')}` });
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      out.push({ field: at, reason: 'FieldValueInvalid', message: `Invalid value: ${quoted(value)}: ${at} in body should match '${schema.pattern}'` });
    }
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) {
      out.push({ field: at, reason: 'FieldValueTypeInvalid', message: `Too long: may not be more than ${schema.maxLength} bytes` });
    }
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) {
      out.push({ field: at, reason: 'FieldValueInvalid', message: `Invalid value: ${quoted(value)}: ${at} in body should be at least ${schema.minLength} chars long` });
    }
    if (schema.format === 'date-time' && !RFC3339.test(value)) {
      out.push({ field: at, reason: 'FieldValueInvalid', message: `Invalid value: ${quoted(value)}: ${at} in body must be of type date-time: ${quoted(value)}` });
    }
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && (schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum)) {
      out.push({ field: at, reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${at} in body should be greater than ${schema.exclusiveMinimum === true ? '' : 'or equal to '}${schema.minimum}` });
    }
    if (typeof schema.maximum === 'number' && (schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum)) {
      out.push({ field: at, reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${at} in body should be less than ${schema.exclusiveMaximum === true ? '' : 'or equal to '}${schema.maximum}` });
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) out.push({ field: at, reason: 'FieldValueTypeInvalid', message: `Too many: ${value.length}: must have at most ${schema.maxItems} items` });
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) out.push({ field: at, reason: 'FieldValueInvalid', message: `Invalid value: ${value.length}: ${at} in body should have at least ${schema.minItems} items` });
    if (isObject(schema.items)) value.forEach((v, i) => out.push(...validateAgainstSchema(v, schema.items as Schema, `${path}[${i}]`, false)));
  }
  if (isObject(value)) {
    for (const req of (schema.required as string[] | undefined) ?? []) {
      if (!(req in value)) out.push({ field: join(path, req), reason: 'FieldValueRequired', message: 'Required value' });
    }
    const declared = props(schema);
    const extra = additional(schema);
    for (const [key, v] of Object.entries(value)) {
      if (root && ROOT_FIELDS.has(key)) continue;
      const sub = declared[key] ?? (isObject(extra) ? (extra as Schema) : undefined);
      if (sub) out.push(...validateAgainstSchema(v, sub, join(path, key), false));
    }
    if (typeof schema.maxProperties === 'number' && Object.keys(value).length > schema.maxProperties) out.push({ field: at, reason: 'FieldValueTypeInvalid', message: `Too many: ${Object.keys(value).length}: must have at most ${schema.maxProperties} items` });
    if (typeof schema.minProperties === 'number' && Object.keys(value).length < schema.minProperties) out.push({ field: at, reason: 'FieldValueInvalid', message: `Invalid value: ${Object.keys(value).length}: ${at} in body should have at least ${schema.minProperties} properties` });
  }
  return out;
}

/**
 * A CRD version's schema is structural: every field it specifies has a type (except where
 * x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields stand for it).
 */
export function structuralProblems(schema: Schema | undefined, path: string): FieldError[] {
  if (!isObject(schema)) return [{ field: path, reason: 'FieldValueRequired', message: 'Required value: schemas are required' }];
  const out: FieldError[] = [];
  const walk = (s: Schema, p: string, isRoot: boolean): void => {
    const exempt = s['x-kubernetes-int-or-string'] === true || (s['x-kubernetes-preserve-unknown-fields'] === true && !isObject(s.properties));
    if (!s.type && !exempt) out.push({ field: `${p}.type`, reason: 'FieldValueRequired', message: `Required value: must not be empty${isRoot ? ' at the root' : ' for specified object fields'}` });
    if (isRoot && s.type && s.type !== 'object') out.push({ field: `${p}.type`, reason: 'FieldValueInvalid', message: `Invalid value: ${quoted(s.type)}: must be object at the root` });
    for (const [k, sub] of Object.entries(props(s))) walk(sub, `${p}.properties[${k}]`, false);
    if (isObject(s.items)) walk(s.items as Schema, `${p}.items`, false);
    const extra = additional(s);
    if (isObject(extra)) walk(extra as Schema, `${p}.additionalProperties`, false);
  };
  walk(schema, path, true);
  return out;
}

/** API groups only the Kubernetes project may define CRDs in without approval. */
export function isProtectedGroup(group: string): boolean {
  return group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
}

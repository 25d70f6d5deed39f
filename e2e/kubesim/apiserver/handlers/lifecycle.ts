// Generic object lifecycle rules of the real apiserver's registry: identity checks,
// server-set metadata, status-subresource boundaries, generation, managedFields.
import { randomBytes, randomUUID } from 'node:crypto';
import { errors } from '../http/status.js';
import { deepClone, deepEqual, isPlainObject } from '../patch/merge-patch.js';
import { groupVersion, type ResourceDef } from '../registry/resource-def.js';
import { recordUpdate, type ManagerContext } from '../ssa/managed-fields.js';
import type { KubeObject } from '../storage/object-store.js';
import { fieldManagerOf, rfc3339, type RequestContext } from './context.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kinds whose names may contain ':' and other path-segment-safe characters. */
const LOOSE_NAME_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'CertificateSigningRequest', 'Node', 'PriorityLevelConfiguration', 'FlowSchema']);

/** Status of these kinds is written on create (the kubelet registers a Node with status). */
const KEEP_STATUS_ON_CREATE = new Set(['Node', 'Event']);

export function managerContext(ctx: RequestContext, subresource?: string): ManagerContext {
  return {
    manager: fieldManagerOf(ctx),
    apiVersion: groupVersion(ctx.def),
    subresource,
    now: rfc3339(ctx.now),
    listType: ctx.def.listType,
    hasStatusSubresource: ctx.def.subresources.includes('status'),
  };
}

export function asObject(body: unknown): KubeObject {
  if (!isPlainObject(body)) throw errors.badRequest('the body of the request must be a JSON or YAML object');
  const obj = body as KubeObject;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (!isPlainObject(obj.metadata)) throw errors.badRequest('metadata must be an object');
  return obj;
}

export function checkTypeMeta(def: ResourceDef, obj: KubeObject): void {
  const want = groupVersion(def);
  if (obj.apiVersion !== undefined && obj.apiVersion !== want) {
    throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
  }
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    throw errors.badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${def.kind})`);
  }
  obj.apiVersion = want;
  obj.kind = def.kind;
}

function checkNamespace(ctx: RequestContext, obj: KubeObject): void {
  if (!ctx.def.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  const ns = obj.metadata.namespace;
  if (ns && ctx.namespace && ns !== ctx.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = ctx.namespace ?? ns;
  if (!obj.metadata.namespace) throw errors.badRequest('the namespace of the object must be set');
}

function validateName(def: ResourceDef, name: string): void {
  const valid = LOOSE_NAME_KINDS.has(def.kind) || def.virtual
    ? name.length > 0 && !name.includes('/') && name !== '.' && name !== '..' && !name.includes('%')
    : name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
  if (!valid) {
    throw errors.invalid(def.kind, def.group, name, [
      { field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character` },
    ]);
  }
}

function usesGeneration(def: ResourceDef, obj: KubeObject): boolean {
  return (def.group !== '' && 'spec' in obj) || def.kind === 'Pod' || def.kind === 'ReplicationController';
}

/** The part of an object whose change bumps metadata.generation. */
function specOf(obj: KubeObject): unknown {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

export function prepareForCreate(ctx: RequestContext, body: unknown, opts: { managedFieldsFromApply?: boolean } = {}): KubeObject {
  const obj = asObject(deepClone(body));
  checkTypeMeta(ctx.def, obj);
  checkNamespace(ctx, obj);
  const md = obj.metadata;
  if (!md.name && md.generateName) md.name = `${md.generateName}${randomSuffix()}`;
  if (!md.name) {
    throw errors.invalid(ctx.def.kind, ctx.def.group, '', [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' }]);
  }
  validateName(ctx.def, md.name);
  md.uid = randomUUID();
  md.creationTimestamp = rfc3339(ctx.now);
  delete md.resourceVersion;
  delete md.deletionTimestamp;
  delete md.deletionGracePeriodSeconds;
  delete md.selfLink;
  if (usesGeneration(ctx.def, obj)) md.generation = 1;
  else delete md.generation;
  if (ctx.def.subresources.includes('status') && !KEEP_STATUS_ON_CREATE.has(ctx.def.kind)) delete obj.status;
  if (!opts.managedFieldsFromApply) md.managedFields = recordUpdate(undefined, obj, managerContext(ctx));
  if (!md.managedFields?.length) delete md.managedFields;
  return obj;
}

/**
 * The object to store when `incoming` replaces `old` through the main resource or a
 * subresource. Identity and server-set metadata come from `old`.
 */
export function prepareForUpdate(
  ctx: RequestContext,
  old: KubeObject,
  body: unknown,
  subresource?: string,
  opts: { managedFieldsFromApply?: boolean } = {},
): KubeObject {
  const incoming = asObject(deepClone(body));
  checkTypeMeta(ctx.def, incoming);
  if (incoming.metadata.name !== undefined && incoming.metadata.name !== old.metadata.name) {
    throw errors.badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${old.metadata.name})`);
  }
  if (ctx.def.namespaced && incoming.metadata.namespace && incoming.metadata.namespace !== old.metadata.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  let next: KubeObject;
  if (subresource === 'status') {
    next = { ...deepClone(old), status: incoming.status };
    if (opts.managedFieldsFromApply) next.metadata.managedFields = incoming.metadata.managedFields;
    if (incoming.status === undefined) delete next.status;
  } else if (subresource === 'finalize') {
    // Namespace finalize: only spec.finalizers changes.
    next = deepClone(old);
    next.spec = { ...(old.spec ?? {}), finalizers: incoming.spec?.finalizers ?? [] };
  } else if (subresource === 'approval') {
    const conditions = (incoming.status as { conditions?: unknown } | undefined)?.conditions;
    next = { ...deepClone(old), status: { ...(old.status ?? {}), conditions } };
  } else {
    next = incoming;
    if (ctx.def.subresources.includes('status')) {
      if (old.status === undefined) delete next.status;
      else next.status = deepClone(old.status);
    }
  }
  const md = next.metadata;
  for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'namespace', 'name'] as const) {
    if (old.metadata[k] === undefined) delete md[k];
    else md[k] = old.metadata[k];
  }
  delete md.selfLink;
  if (old.metadata.generation !== undefined || usesGeneration(ctx.def, next)) {
    const prev = (old.metadata.generation as number | undefined) ?? 1;
    md.generation = deepEqual(specOf(old), specOf(next)) ? prev : prev + 1;
  }
  md.resourceVersion = old.metadata.resourceVersion;
  if (!opts.managedFieldsFromApply) md.managedFields = recordUpdate(old, next, managerContext(ctx, subresource));
  if (!md.managedFields?.length) delete md.managedFields;
  return next;
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
}

// PATCH: JSON patch, merge patch, strategic merge patch (built-in kinds only, like the
// real server) and server-side apply (application/apply-patch+yaml).
import { hookFor, pruneCustomResource } from '../admission/builtin-hooks.js';
import { decodeBody } from '../http/body.js';
import { ApiError, errors } from '../http/status.js';
import { applyJsonPatch, applyMergePatch, isPlainObject } from '../patch/merge-patch.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge.js';
import { serverSideApply } from '../ssa/managed-fields.js';
import type { KubeObject } from '../storage/object-store.js';
import type { RequestContext } from './context.js';
import { checkTypeMeta, managerContext, prepareForCreate, prepareForUpdate } from './lifecycle.js';
import { createPrepared, storeUpdate, type HandlerResult } from './write.js';

export type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

export function patchKindOf(contentType: string, ctx: RequestContext): PatchKind {
  switch (contentType) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      if (ctx.def.crdName) throw errors.unsupportedMediaType(`${contentType}: strategic merge patch is not supported for custom resources`);
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+json':
      return 'apply';
    default:
      throw errors.unsupportedMediaType(contentType);
  }
}

function applyPatch(kind: Exclude<PatchKind, 'apply'>, ctx: RequestContext, current: KubeObject, patch: unknown): KubeObject {
  let out: unknown;
  if (kind === 'json') out = applyJsonPatch(current, patch);
  else if (kind === 'merge') out = applyMergePatch(current, patch);
  else out = applyStrategicMergePatch(current, patch, ctx.def.strategicListType);
  if (!isPlainObject(out)) throw errors.badRequest('the patch produced something that is not an object');
  return out as KubeObject;
}

export async function patchObject(ctx: RequestContext, raw: Buffer, contentType: string): Promise<HandlerResult> {
  const kind = patchKindOf(contentType, ctx);
  const patch = decodeBody(raw, kind === 'apply' ? 'application/yaml' : 'application/json');
  if (patch === undefined) throw errors.badRequest('the body of the request was empty');
  if (kind === 'apply') return applyObject(ctx, patch);
  const { def } = ctx;
  const name = ctx.name!;
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await ctx.deps.store.get(def, ctx.namespace, name);
    if (!current) throw errors.notFound(def.group, def.plural, name);
    const patched = applyPatch(kind, ctx, current.object, patch);
    const requestedRv = patched.metadata?.resourceVersion as string | undefined;
    if (requestedRv !== undefined && requestedRv !== current.object.metadata.resourceVersion) {
      throw errors.staleResourceVersion(def.group, def.plural, name);
    }
    const next = prepareForUpdate(ctx, current.object, patched, ctx.subresource);
    await hookFor(ctx).update?.(ctx, current.object, next);
    const stored = await storeUpdate(ctx, current, next);
    if (stored) return { code: 200, body: stored };
  }
  throw errors.staleResourceVersion(def.group, def.plural, name);
}

async function applyObject(ctx: RequestContext, body: unknown): Promise<HandlerResult> {
  const { def } = ctx;
  const name = ctx.name!;
  if (!isPlainObject(body)) throw errors.badRequest('the applied configuration must be an object');
  const applied = body as KubeObject;
  if (!applied.apiVersion || !applied.kind) throw errors.badRequest('apiVersion and kind must be set in an applied configuration');
  applied.metadata ??= {};
  checkTypeMeta(def, applied);
  if (applied.metadata.name !== undefined && applied.metadata.name !== name) {
    throw errors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (!ctx.query.get('fieldManager')) {
    throw new ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
      kind: 'PatchOptions',
      group: 'meta.k8s.io',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
    });
  }
  // The applied configuration of a custom resource loses its undeclared fields before the merge
  // (they are owned by nobody), as on the real server.
  if (def.crdName) pruneCustomResource(ctx, applied);
  const force = ctx.query.get('force') === 'true';
  const mctx = managerContext(ctx, ctx.subresource);
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await ctx.deps.store.get(def, ctx.namespace, name);
    if (!current) {
      if (ctx.subresource) throw errors.notFound(def.group, def.plural, name);
      const res = serverSideApply(undefined, applied, mctx, force);
      res.object.metadata = { ...res.object.metadata, name, managedFields: res.managedFields };
      const obj = prepareForCreate(ctx, res.object, { managedFieldsFromApply: true });
      try {
        return await createPrepared(ctx, obj);
      } catch (err) {
        if ((err as { reason?: string }).reason === 'AlreadyExists') continue;
        throw err;
      }
    }
    const requestedRv = applied.metadata.resourceVersion as string | undefined;
    if (requestedRv !== undefined && requestedRv !== current.object.metadata.resourceVersion) {
      throw errors.staleResourceVersion(def.group, def.plural, name);
    }
    const res = serverSideApply(current.object, applied, mctx, force);
    res.object.metadata = { ...res.object.metadata, managedFields: res.managedFields };
    const next = prepareForUpdate(ctx, current.object, res.object, ctx.subresource, { managedFieldsFromApply: true });
    await hookFor(ctx).update?.(ctx, current.object, next);
    const stored = await storeUpdate(ctx, current, next);
    if (stored) return { code: 200, body: stored };
  }
  throw errors.staleResourceVersion(def.group, def.plural, name);
}

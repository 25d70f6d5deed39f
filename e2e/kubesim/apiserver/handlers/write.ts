// POST (create) and PUT (update, including the status/approval/scale subresources).
import { afterDelete, hookFor } from '../admission/builtin-hooks.js';
import { admitPodNodeSelector } from '../admission/pod-node-selector.js';
import { errors } from '../http/status.js';
import { deepEqual } from '../patch/merge-patch.js';
import { BUILTIN_RESOURCES } from '../registry/builtin-resources.js';
import type { KubeObject, StoredObject } from '../storage/object-store.js';
import { isDryRun, type RequestContext } from './context.js';
import { prepareForCreate, prepareForUpdate } from './lifecycle.js';

export interface HandlerResult {
  code: number;
  body: unknown;
}

const namespacesDef = BUILTIN_RESOURCES.find((d) => d.plural === 'namespaces')!;
const MAX_RETRIES = 8;

export async function requireNamespace(ctx: RequestContext, namespace: string | undefined): Promise<void> {
  if (!ctx.def.namespaced || !namespace) return;
  const ns = await ctx.deps.store.get(namespacesDef, undefined, namespace);
  if (!ns) throw errors.notFound('', 'namespaces', namespace);
  if (ns.object.metadata.deletionTimestamp) {
    throw errors.forbidden(`${ctx.def.plural} "${ctx.name ?? ''}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}

/** Create a prepared object (hooks, namespace check, etcd create-if-absent). */
export async function createPrepared(ctx: RequestContext, obj: KubeObject): Promise<HandlerResult> {
  await requireNamespace(ctx, obj.metadata.namespace);
  const pns = ctx.deps.admission?.podNodeSelector;
  if (pns && ctx.deps.admission!.plugins.includes('PodNodeSelector') && ctx.def.group === '' && ctx.def.plural === 'pods' && !ctx.subresource) await admitPodNodeSelector(ctx, pns, obj);
  const hook = hookFor(ctx);
  await hook.create?.(ctx, obj);
  if (isDryRun(ctx)) return { code: 201, body: obj };
  const r = await ctx.deps.store.create(ctx.def, obj);
  if (!r.ok) {
    // Give back what the hooks allocated for the object that was not created (ClusterIPs).
    await afterDelete(ctx, obj);
    throw errors.alreadyExists(ctx.def.group, ctx.def.plural, obj.metadata.name);
  }
  await hook.written?.(ctx, r.object);
  return { code: 201, body: r.object };
}

export async function createObject(ctx: RequestContext, body: unknown): Promise<HandlerResult> {
  return createPrepared(ctx, prepareForCreate(ctx, body));
}

/**
 * Store `next` over `current` with compare-and-swap. Returns undefined when another
 * writer won the race (callers retry or report a conflict). An object being deleted
 * whose last finalizer is gone is removed instead.
 */
export async function storeUpdate(ctx: RequestContext, current: StoredObject, next: KubeObject): Promise<KubeObject | undefined> {
  const finalizers = (next.metadata.finalizers as string[] | undefined) ?? [];
  if (next.metadata.deletionTimestamp && finalizers.length === 0) {
    if (isDryRun(ctx)) return next;
    const ok = await ctx.deps.store.delete(ctx.def, next.metadata.namespace, next.metadata.name, current.modRevision);
    if (!ok) return undefined;
    await afterDelete(ctx, next);
    return next;
  }
  // An unchanged object read with an old provider is written again (how keys are migrated).
  if (isDryRun(ctx) || (isNoop(current.object, next) && !current.stale)) return isDryRun(ctx) ? next : current.object;
  const r = await ctx.deps.store.update(ctx.def, next, current.modRevision);
  if (!r.ok) return undefined;
  await hookFor(ctx).written?.(ctx, r.object);
  return r.object;
}

/** The real server skips writes that change nothing but managedFields timestamps. */
function isNoop(current: KubeObject, next: KubeObject): boolean {
  const normalize = (o: KubeObject): unknown => ({
    ...o,
    metadata: {
      ...o.metadata,
      resourceVersion: undefined,
      managedFields: (o.metadata.managedFields as Array<Record<string, unknown>> | undefined)?.map((e) => ({ ...e, time: undefined })),
    },
  });
  return deepEqual(normalize(current), normalize(next));
}

export async function updateObject(ctx: RequestContext, body: unknown): Promise<HandlerResult> {
  const { def } = ctx;
  const name = ctx.name!;
  const requestedRv = (body as KubeObject | undefined)?.metadata?.resourceVersion as string | undefined;
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
    const current = await ctx.deps.store.get(def, ctx.namespace, name);
    if (!current) {
      if (!def.createOnUpdate || ctx.subresource) throw errors.notFound(def.group, def.plural, name);
      if (requestedRv) throw errors.notFound(def.group, def.plural, name);
      const obj = prepareForCreate(ctx, body);
      if (obj.metadata.name !== name) throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
      try {
        return await createPrepared(ctx, obj);
      } catch (err) {
        if ((err as { reason?: string }).reason === 'AlreadyExists') continue;
        throw err;
      }
    }
    if (requestedRv && requestedRv !== String(current.modRevision)) throw errors.staleResourceVersion(def.group, def.plural, name);
    const next = prepareForUpdate(ctx, current.object, body, ctx.subresource);
    await hookFor(ctx).update?.(ctx, current.object, next);
    const stored = await storeUpdate(ctx, current, next);
    if (stored) return { code: 200, body: stored };
    if (requestedRv) throw errors.staleResourceVersion(def.group, def.plural, name);
  }
  throw errors.staleResourceVersion(def.group, def.plural, name);
}

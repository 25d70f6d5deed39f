// DELETE of one object or a collection, with finalizers, preconditions, namespace
// content removal, CRD instance removal and ownerReference garbage collection
// (done synchronously instead of by a controller).
import { afterDelete } from '../admission/builtin-hooks.js';
import { errors, successStatus } from '../http/status.js';
import type { ResourceDef } from '../registry/resource-def.js';
import type { KubeObject } from '../storage/object-store.js';
import { parseFieldSelector, parseLabelSelector } from '../selectors/selectors.js';
import { isDryRun, rfc3339, type RequestContext } from './context.js';
import type { HandlerResult } from './write.js';

const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);
/** Kinds whose DELETE answers with the object rather than a Status (like the real server). */
const RETURNS_OBJECT = new Set(['/pods', '/namespaces', '/services']);

interface DeleteOptions {
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

function optionsOf(ctx: RequestContext, body: unknown): DeleteOptions {
  const o = (body && typeof body === 'object' ? body : {}) as DeleteOptions & { orphanDependents?: boolean };
  const propagationPolicy = ctx.query.get('propagationPolicy') ?? o.propagationPolicy ?? (o.orphanDependents ? 'Orphan' : undefined);
  return { propagationPolicy, preconditions: o.preconditions };
}

export async function deleteObject(ctx: RequestContext, body: unknown): Promise<HandlerResult> {
  const { def } = ctx;
  const name = ctx.name!;
  const opts = optionsOf(ctx, body);
  if (def.plural === 'namespaces' && def.group === '' && PROTECTED_NAMESPACES.has(name)) {
    throw errors.forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await ctx.deps.store.get(def, ctx.namespace, name);
    if (!current) throw errors.notFound(def.group, def.plural, name);
    const obj = current.object;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== obj.metadata.uid) {
      throw errors.conflict(def.group, def.plural, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
      throw errors.conflict(def.group, def.plural, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
    }
    if (isDryRun(ctx)) return respond(ctx, obj, 200);
    const finalizers = (obj.metadata.finalizers as string[] | undefined) ?? [];
    if (finalizers.length > 0 && !(def.plural === 'namespaces' && def.group === '')) {
      if (obj.metadata.deletionTimestamp) return respond(ctx, obj, 202);
      const marked: KubeObject = { ...obj, metadata: { ...obj.metadata, deletionTimestamp: rfc3339(ctx.now), deletionGracePeriodSeconds: 0 } };
      const r = await ctx.deps.store.update(def, marked, current.modRevision);
      if (!r.ok) continue;
      return respond(ctx, r.object, 202);
    }
    if (def.plural === 'namespaces' && def.group === '') await deleteNamespaceContent(ctx, name);
    if (!(await ctx.deps.store.delete(def, ctx.namespace, name, current.modRevision))) continue;
    await afterDelete(ctx, obj);
    if (def.crdName === undefined && def.plural === 'customresourcedefinitions') await deleteCustomResources(ctx, obj);
    if (opts.propagationPolicy !== 'Orphan') await collectDependents(ctx, obj, 0);
    const gone = def.plural === 'namespaces' ? { ...obj, status: { phase: 'Terminating' }, metadata: { ...obj.metadata, deletionTimestamp: rfc3339(ctx.now) } } : obj;
    return respond(ctx, gone, 200);
  }
  throw errors.staleResourceVersion(def.group, def.plural, name);
}

function respond(ctx: RequestContext, obj: KubeObject, code: number): HandlerResult {
  if (RETURNS_OBJECT.has(`${ctx.def.group}/${ctx.def.plural}`) || ctx.def.crdName) return { code, body: obj };
  return { code, body: successStatus({ name: obj.metadata.name, group: ctx.def.group || undefined, kind: ctx.def.plural, uid: obj.metadata.uid }) };
}

/** Each storage location once (several served versions may share one). */
function storageDefs(ctx: RequestContext): ResourceDef[] {
  const seen = new Set<string>();
  return ctx.deps.registry.all().filter((d) => {
    if (d.virtual || seen.has(d.etcdPath) || d.version !== d.storageVersion) return false;
    seen.add(d.etcdPath);
    return true;
  });
}

/** The namespace controller's job, done at once: remove everything in the namespace. */
async function deleteNamespaceContent(ctx: RequestContext, namespace: string): Promise<void> {
  for (const def of storageDefs(ctx).filter((d) => d.namespaced)) {
    const { items } = await ctx.deps.store.list(def, namespace);
    for (const item of items) await removeStored({ ...ctx, def }, def, item);
  }
}

async function deleteCustomResources(ctx: RequestContext, crd: KubeObject): Promise<void> {
  const prefix = `${ctx.deps.store.prefix}/${crd.spec?.group}/${crd.spec?.names?.plural}/`;
  await ctx.deps.store.etcd.deletePrefix(prefix);
}

async function removeStored(ctx: RequestContext, def: ResourceDef, obj: KubeObject): Promise<void> {
  const cur = await ctx.deps.store.get(def, obj.metadata.namespace, obj.metadata.name);
  if (!cur) return;
  if (await ctx.deps.store.delete(def, obj.metadata.namespace, obj.metadata.name, cur.modRevision)) await afterDelete({ ...ctx, def }, cur.object);
}

async function markDeleted(ctx: RequestContext, def: ResourceDef, obj: KubeObject): Promise<void> {
  const cur = await ctx.deps.store.get(def, obj.metadata.namespace, obj.metadata.name);
  if (!cur || cur.object.metadata.deletionTimestamp) return;
  await ctx.deps.store.update(def, { ...cur.object, metadata: { ...cur.object.metadata, deletionTimestamp: rfc3339(ctx.now), deletionGracePeriodSeconds: 0 } }, cur.modRevision);
}

/** Kinds that in practice own nothing: skip the dependents scan for them. */
const NEVER_OWNERS = new Set(['pods', 'events', 'leases', 'configmaps', 'secrets', 'endpoints', 'endpointslices', 'controllerrevisions']);

/** Delete objects whose ownerReferences point at the deleted owner (background GC). */
async function collectDependents(ctx: RequestContext, owner: KubeObject, depth: number): Promise<void> {
  if (depth > 3 || !ctx.def.namespaced || NEVER_OWNERS.has(ctx.def.plural)) return;
  const uid = owner.metadata.uid as string;
  for (const def of storageDefs(ctx).filter((d) => d.namespaced)) {
    const { items } = await ctx.deps.store.list(def, owner.metadata.namespace);
    for (const item of items) {
      const refs = (item.metadata.ownerReferences as Array<{ uid: string }> | undefined) ?? [];
      if (!refs.some((r) => r.uid === uid)) continue;
      const dctx = { ...ctx, def };
      if (refs.length > 1) continue; // still owned by someone else
      // A dependent with finalizers is only marked for deletion, as the real garbage collector
      // does: its controllers remove their finalizers when they are done (machine-controller's Machines).
      if (((item.metadata.finalizers as string[] | undefined) ?? []).length > 0) {
        await markDeleted(dctx, def, item);
        continue;
      }
      await removeStored(dctx, def, item);
      await collectDependents(dctx, item, depth + 1);
    }
  }
}

export async function deleteCollection(ctx: RequestContext, body: unknown): Promise<HandlerResult> {
  const labels = parseLabelSelector(ctx.query.get('labelSelector'));
  const fields = parseFieldSelector(ctx.query.get('fieldSelector'));
  const { items } = await ctx.deps.store.list(ctx.def, ctx.namespace);
  const deleted: KubeObject[] = [];
  for (const item of items) {
    if (!labels(item.metadata.labels) || !fields(item)) continue;
    try {
      await deleteObject({ ...ctx, name: item.metadata.name, namespace: item.metadata.namespace }, body);
      deleted.push(item);
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  return { code: 200, body: { apiVersion: itemsApiVersion(ctx.def), kind: ctx.def.listKind, metadata: {}, items: deleted } };
}

const itemsApiVersion = (def: ResourceDef): string => (def.group ? `${def.group}/${def.version}` : def.version);

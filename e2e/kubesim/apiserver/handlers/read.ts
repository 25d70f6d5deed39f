// GET of one object and of collections (selectors, chunking, Table and
// PartialObjectMetadata renderings).
import { errors } from '../http/status.js';
import { groupVersion } from '../registry/resource-def.js';
import { parseFieldSelector, parseLabelSelector } from '../selectors/selectors.js';
import type { KubeObject } from '../storage/object-store.js';
import type { RequestContext } from './context.js';
import { toTable } from './table.js';
import type { HandlerResult } from './write.js';

export type Rendering = 'object' | 'table' | 'metadata';

/** What the Accept header asks for (kubectl get asks for as=Table). */
export function renderingOf(accept: string | undefined): Rendering {
  const a = accept ?? '';
  const first = a.split(',')[0] ?? '';
  if (/as=Table/.test(first)) return 'table';
  if (/as=PartialObjectMetadata/.test(first)) return 'metadata';
  return 'object';
}

function partial(o: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export async function getObject(ctx: RequestContext, rendering: Rendering): Promise<HandlerResult> {
  const { def } = ctx;
  const stored = await ctx.deps.store.get(def, ctx.namespace, ctx.name!);
  if (!stored) throw errors.notFound(def.group, def.plural, ctx.name!);
  const obj = stored.object;
  if (rendering === 'table') {
    return { code: 200, body: toTable(def, [obj], { resourceVersion: obj.metadata.resourceVersion }, ctx.query.get('includeObject'), ctx.now) };
  }
  if (rendering === 'metadata') return { code: 200, body: partial(obj) };
  return { code: 200, body: obj };
}

export async function listObjects(ctx: RequestContext, rendering: Rendering): Promise<HandlerResult> {
  const { def } = ctx;
  const labels = parseLabelSelector(ctx.query.get('labelSelector'));
  const fields = parseFieldSelector(ctx.query.get('fieldSelector'));
  const { items, revision } = await ctx.deps.store.list(def, ctx.namespace);
  let selected = items.filter((o) => labels(o.metadata.labels) && fields(o));
  const cont = ctx.query.get('continue');
  if (cont) {
    let after: string;
    try {
      after = (JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')) as { k: string }).k;
    } catch {
      throw errors.badRequest('continue key is not valid: illegal base64 data');
    }
    selected = selected.filter((o) => itemKey(o) > after);
  }
  const limit = Number(ctx.query.get('limit') ?? 0);
  const meta: Record<string, unknown> = { resourceVersion: String(revision) };
  if (limit > 0 && selected.length > limit) {
    const remaining = selected.length - limit;
    selected = selected.slice(0, limit);
    meta.continue = Buffer.from(JSON.stringify({ k: itemKey(selected[selected.length - 1]!), rv: revision })).toString('base64url');
    meta.remainingItemCount = remaining;
  }
  if (rendering === 'table') return { code: 200, body: toTable(def, selected, meta, ctx.query.get('includeObject'), ctx.now) };
  if (rendering === 'metadata') {
    return { code: 200, body: { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items: selected.map(partial) } };
  }
  return { code: 200, body: { kind: def.listKind, apiVersion: groupVersion(def), metadata: meta, items: selected } };
}

const itemKey = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

// Dispatch of resource requests (/api/v1/..., /apis/<g>/<v>/...) to handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from './auth/authenticate.js';
import type { RequestContext, ServerDeps } from './handlers/context.js';
import { deleteCollection, deleteObject } from './handlers/delete.js';
import { patchKindOf, patchObject } from './handlers/patch.js';
import { getObject, listObjects, renderingOf } from './handlers/read.js';
import { bindPod, createReview, createServiceAccountToken, evictPod, getScale, writeScale } from './handlers/subresources.js';
import { serveWatch } from './handlers/watch.js';
import { createObject, updateObject, type HandlerResult } from './handlers/write.js';
import { decodeBody, mediaType, readBody } from './http/body.js';
import type { ResourcePath } from './http/request-info.js';
import { errors } from './http/status.js';

/** Returns undefined when the handler already streamed its response (watch). */
export async function routeResource(
  deps: ServerDeps,
  user: UserInfo,
  p: ResourcePath,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
): Promise<HandlerResult | undefined> {
  const def = await deps.registry.resolve(p.group, p.version, p.resource);
  if (!def) throw errors.notFoundPath();
  if (p.namespace !== undefined && !def.namespaced) throw errors.notFoundPath();
  if (p.subresource && !def.subresources.includes(p.subresource)) throw errors.notFoundPath();
  // /api/v1/namespaces/<name> addresses the Namespace itself.
  const ctx: RequestContext = {
    deps,
    user,
    def,
    namespace: def.namespaced ? p.namespace : undefined,
    name: p.name,
    subresource: p.subresource,
    query,
    userAgent: String(req.headers['user-agent'] ?? ''),
    now: new Date(),
  };
  const method = req.method ?? 'GET';
  const watch = p.watchPath || query.get('watch') === 'true' || query.get('watch') === '1';
  if (def.virtual && method !== 'POST') throw errors.methodNotAllowed();
  if (def.namespaced && !p.namespace && p.name) throw errors.notFoundPath();

  switch (method) {
    case 'GET':
    case 'HEAD': {
      if (watch) {
        await serveWatch(ctx, res, renderingOf(req.headers.accept));
        return undefined;
      }
      if (!p.name) return listObjects(ctx, renderingOf(req.headers.accept));
      if (p.subresource === 'scale') return getScale(ctx);
      if (p.subresource && !['status', 'approval', 'ephemeralcontainers'].includes(p.subresource)) throw errors.methodNotAllowed();
      return getObject(ctx, renderingOf(req.headers.accept));
    }
    case 'POST': {
      const body = decodeBody(await readBody(req), mediaType(req));
      if (def.virtual) return createReview(ctx, body, deps.reviewToken);
      if (p.name) {
        if (p.subresource === 'eviction') return evictPod(ctx, body);
        if (p.subresource === 'binding') return bindPod(ctx, body);
        if (p.subresource === 'token' && def.plural === 'serviceaccounts') return createServiceAccountToken(ctx, body);
        throw errors.methodNotAllowed();
      }
      if (def.namespaced && !p.namespace) throw errors.methodNotAllowed();
      return createObject(ctx, body);
    }
    case 'PUT': {
      if (!p.name) throw errors.methodNotAllowed();
      const body = decodeBody(await readBody(req), mediaType(req));
      if (p.subresource === 'scale') return writeScale(ctx, body);
      if (p.subresource === 'eviction' || p.subresource === 'binding') throw errors.methodNotAllowed();
      return updateObject(ctx, body);
    }
    case 'PATCH': {
      if (!p.name) throw errors.methodNotAllowed();
      const raw = await readBody(req);
      if (p.subresource === 'scale') {
        const kind = patchKindOf(mediaType(req), ctx);
        return writeScale(ctx, decodeBody(raw, kind === 'apply' ? 'application/yaml' : 'application/json'), kind);
      }
      return patchObject(ctx, raw, mediaType(req));
    }
    case 'DELETE': {
      const body = decodeBody(await readBody(req), mediaType(req));
      if (p.subresource) throw errors.methodNotAllowed();
      return p.name ? deleteObject(ctx, body) : deleteCollection(ctx, body);
    }
    default:
      throw errors.methodNotAllowed();
  }
}

/** The real authorizer's wording, for 403s to anonymous users. */
export function forbiddenMessage(user: UserInfo, method: string, p: ResourcePath | undefined, path: string): string {
  if (!p) return `forbidden: User "${user.name}" cannot ${method.toLowerCase()} path "${path}"`;
  const verb = method === 'GET' ? (p.name ? 'get' : 'list') : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method.toLowerCase();
  const resource = p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
  const where = p.namespace ? `in the namespace "${p.namespace}"` : 'at the cluster scope';
  const name = p.name ? `${p.resource} "${p.name}"` : p.resource;
  return `${name} is forbidden: User "${user.name}" cannot ${verb} resource "${resource}" in API group "${p.group}" ${where}`;
}

// OpenAPI: the simulator has no schemas. /openapi/v3 lists every group-version and
// each document carries the paths (with their x-kubernetes-group-version-kind and
// query parameters) that kubectl inspects to learn that the server validates fields
// itself (fieldValidation), plus an open object schema per kind. /openapi/v2 (see
// openapi-v2.ts) is served only as protobuf, which is all kubectl asks for.
import type { ResourceDef } from '../registry/resource-def.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import { errors } from '../http/status.js';

const HASH = 'kubesim';

function schemaName(d: ResourceDef): string {
  const g = d.group ? d.group.split('.').reverse().join('.') : 'io.k8s.api.core';
  return `${g}.${d.version}.${d.kind}`;
}

const param = (name: string, inWhere = 'query'): Record<string, unknown> => ({ name, in: inWhere, schema: { type: 'string', uniqueItems: true } });

function operations(d: ResourceDef, item: boolean): Record<string, unknown> {
  const gvk = { group: d.group, version: d.version, kind: d.kind };
  const ref = { $ref: `#/components/schemas/${schemaName(d)}` };
  const ok = { responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } } };
  const op = (action: string, extra: string[] = []): Record<string, unknown> => ({
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters: [param('dryRun'), param('fieldManager'), ...extra.map((e) => param(e))],
    ...ok,
  });
  if (item) {
    return {
      get: op('get'),
      put: op('put', ['fieldValidation']),
      patch: op('patch', ['fieldValidation', 'force']),
      delete: op('delete'),
      parameters: [param('name', 'path'), ...(d.namespaced ? [param('namespace', 'path')] : [])],
    };
  }
  return { get: op('list'), post: op('post', ['fieldValidation']), parameters: d.namespaced ? [param('namespace', 'path')] : [] };
}

export function openApiV3Document(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const defs = registry.resourcesIn(group, version).filter((d) => !d.virtual);
  if (registry.resourcesIn(group, version).length === 0) return undefined;
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const d of defs) {
    const base = d.namespaced ? `${prefix}/namespaces/{namespace}/${d.plural}` : `${prefix}/${d.plural}`;
    paths[base] = operations(d, false);
    paths[`${base}/{name}`] = operations(d, true);
    schemas[schemaName(d)] = {
      type: 'object',
      description: `${d.kind} (schema not modelled by the simulator)`,
      'x-kubernetes-group-version-kind': [{ group: d.group, version: d.version, kind: d.kind }],
      'x-kubernetes-preserve-unknown-fields': true,
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'unversioned' }, paths, components: { schemas } };
}

export function openApiResponse(pathname: string, registry: ResourceRegistry): { code: number; body: unknown } | undefined {
  if (pathname === '/openapi/v3' || pathname === '/openapi/v3/') {
    const paths: Record<string, unknown> = { 'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${HASH}` } };
    for (const g of registry.groups()) {
      for (const v of g.versions) paths[`apis/${g.name}/${v}`] = { serverRelativeURL: `/openapi/v3/apis/${g.name}/${v}?hash=${HASH}` };
    }
    return { code: 200, body: { paths } };
  }
  const m = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(pathname);
  if (!m) return undefined;
  const doc = m[1] ? openApiV3Document(registry, '', m[1]) : openApiV3Document(registry, m[2]!, m[3]!);
  return doc ? { code: 200, body: doc } : { code: 404, body: errors.notFoundPath().toStatus() };
}


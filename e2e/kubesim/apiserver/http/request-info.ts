// Splits an API path into group/version/namespace/resource/name/subresource,
// following the real apiserver's URL layout (including legacy /watch/ paths).

export interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** Legacy /api/v1/watch/... form. */
  watchPath: boolean;
}

export type ParsedPath =
  | { type: 'resource'; path: ResourcePath }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'group'; group: string }
  | { type: 'apiRoot'; legacy: boolean }
  | { type: 'other' };

/** Namespace subresources, so /api/v1/namespaces/x/status is not "resource status in ns x". */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseApiPath(pathname: string): ParsedPath {
  const segs = pathname.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length === 1) return { type: 'apiRoot', legacy: true };
    group = '';
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length === 1) return { type: 'apiRoot', legacy: false };
    group = segs[1]!;
    if (segs.length === 2) return { type: 'group', group };
    version = segs[2];
    rest = segs.slice(3);
  } else {
    return { type: 'other' };
  }
  if (!version) return { type: 'other' };
  if (rest.length === 0) return { type: 'groupVersion', group, version };
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, ...sub] = rest;
  if (!resource) return { type: 'other' };
  return {
    type: 'resource',
    path: { group, version, namespace, resource, name, subresource: sub.length ? sub.join('/') : undefined, watchPath },
  };
}

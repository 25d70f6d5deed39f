// Discovery documents: /api, /apis, /apis/<group>, /api/v1, /apis/<group>/<version>,
// their aggregated (apidiscovery.k8s.io/v2) form, and /version.
import type { ResourceDef } from '../registry/resource-def.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';

interface SubresourceInfo {
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

function subresourceInfo(def: ResourceDef, sub: string): SubresourceInfo {
  switch (sub) {
    case 'scale':
      return { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };
    case 'eviction':
      return { kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] };
    case 'binding':
      return { kind: 'Binding', verbs: ['create'] };
    case 'token':
      return { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] };
    case 'finalize':
      return { kind: def.kind, verbs: ['update'] };
    default:
      return { kind: def.kind, verbs: ['get', 'patch', 'update'] };
  }
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupDoc(name: string, versions: string[]): Record<string, unknown> {
  const gvs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: gvs, preferredVersion: gvs[0] };
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().map((g) => groupDoc(g.name, g.versions)) };
}

export function apiGroup(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const g = registry.groups().find((x) => x.name === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g.name, g.versions) } : undefined;
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const defs = registry.resourcesIn(group, version);
  if (defs.length === 0) return undefined;
  const resources: Array<Record<string, unknown>> = [];
  for (const d of defs) {
    const r: Record<string, unknown> = { name: d.plural, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs };
    if (d.shortNames.length) r.shortNames = d.shortNames;
    if (d.categories.length) r.categories = d.categories;
    resources.push(r);
    for (const sub of d.subresources) {
      const info = subresourceInfo(d, sub);
      const s: Record<string, unknown> = { name: `${d.plural}/${sub}`, singularName: '', namespaced: d.namespaced, kind: info.kind, verbs: info.verbs };
      if (info.group !== undefined) s.group = info.group;
      if (info.version !== undefined) s.version = info.version;
      resources.push(s);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether the client asks for (and accepts) aggregated discovery v2. */
export function wantsAggregated(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => /g=apidiscovery\.k8s\.io/.test(part) && /v=v2(?!beta)/.test(part) && /as=APIGroupDiscoveryList/.test(part));
}

function aggregatedResource(d: ResourceDef): Record<string, unknown> {
  const r: Record<string, unknown> = {
    resource: d.plural,
    responseKind: { group: '', version: '', kind: d.kind },
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: d.verbs,
  };
  if (d.shortNames.length) r.shortNames = d.shortNames;
  if (d.categories.length) r.categories = d.categories;
  if (d.subresources.length) {
    r.subresources = d.subresources.map((sub) => {
      const info = subresourceInfo(d, sub);
      return { subresource: sub, responseKind: { group: info.group ?? '', version: info.version ?? '', kind: info.kind }, verbs: info.verbs };
    });
  }
  return r;
}

/** Aggregated discovery for /api (legacy=true) or /apis. */
export function aggregatedDiscovery(registry: ResourceRegistry, legacy: boolean): Record<string, unknown> {
  const groups = legacy ? [{ name: '', versions: ['v1'] }] : registry.groups();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((g) => ({
      metadata: g.name ? { name: g.name } : {},
      versions: g.versions.map((v) => ({ version: v, resources: registry.resourcesIn(g.name, v).map(aggregatedResource), freshness: 'Current' })),
    })),
  };
}

export function versionInfo(gitVersion: string): Record<string, unknown> {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(gitVersion);
  const major = m?.[1] ?? '1';
  const minor = m?.[2] ?? '0';
  return {
    major,
    minor,
    emulationMajor: major,
    emulationMinor: minor,
    minCompatibilityMajor: major,
    minCompatibilityMinor: String(Math.max(0, Number(minor) - 1)),
    gitVersion: gitVersion.startsWith('v') ? gitVersion : `v${gitVersion}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.25.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

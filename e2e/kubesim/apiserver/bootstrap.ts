// Objects the real apiserver ensures at start-up: system namespaces, the `kubernetes`
// Service with this server's endpoint, system PriorityClasses, bootstrap RBAC roles.
// Existing objects are kept (state survives restarts); only missing ones are created.
import { randomUUID } from 'node:crypto';
import { firstServiceIP } from './admission/service-allocation.js';
import { rfc3339, type ServerDeps } from './handlers/context.js';
import { BUILTIN_RESOURCES } from './registry/builtin-resources.js';
import type { KubeObject } from './storage/object-store.js';

const defOf = (group: string, plural: string) => BUILTIN_RESOURCES.find((d) => d.group === group && d.plural === plural)!;
const rbac = 'rbac.authorization.k8s.io';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function meta(name: string, namespace?: string, labels?: Record<string, string>): KubeObject['metadata'] {
  const m: KubeObject['metadata'] = { name, uid: randomUUID(), creationTimestamp: rfc3339(new Date()) };
  if (namespace) m.namespace = namespace;
  if (labels) m.labels = labels;
  return m;
}

async function ensure(deps: ServerDeps, group: string, plural: string, obj: KubeObject): Promise<void> {
  const def = defOf(group, plural);
  const existing = await deps.store.get(def, obj.metadata.namespace, obj.metadata.name);
  if (!existing) await deps.store.create(def, obj);
}

const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

function clusterRole(name: string, rules: unknown[]): KubeObject {
  return {
    apiVersion: `${rbac}/v1`,
    kind: 'ClusterRole',
    metadata: { ...meta(name, undefined, BOOTSTRAP_LABELS), annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    rules,
  };
}

const ALL_RULES = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }];

export async function bootstrapCluster(deps: ServerDeps, rootCAPem?: string): Promise<void> {
  for (const ns of SYSTEM_NAMESPACES) {
    await ensure(deps, '', 'namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(ns, undefined, { 'kubernetes.io/metadata.name': ns }),
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    await ensureNamespaceDefaults(deps, ns, rootCAPem);
  }
  await ensureKubernetesService(deps);
  for (const [name, value] of [['system-node-critical', 2000001000], ['system-cluster-critical', 2000000000]] as const) {
    await ensure(deps, 'scheduling.k8s.io', 'priorityclasses', {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: meta(name),
      value,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
    });
  }
  const roles: Array<[string, unknown[]]> = [
    ['cluster-admin', ALL_RULES],
    ['admin', ALL_RULES.slice(0, 1)],
    ['edit', ALL_RULES.slice(0, 1)],
    ['view', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }]],
    ['system:discovery', [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] }]],
    ['system:basic-user', [{ apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] }]],
    ['system:public-info-viewer', [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }]],
    ['system:node', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]],
    ['system:node-bootstrapper', [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create', 'get', 'list', 'watch'] }]],
    ['system:certificates.k8s.io:certificatesigningrequests:nodeclient', [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/nodeclient'], verbs: ['create'] }]],
    ['system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/selfnodeclient'], verbs: ['create'] }]],
  ];
  for (const [name, rules] of roles) await ensure(deps, rbac, 'clusterroles', clusterRole(name, rules));
  await ensure(deps, rbac, 'clusterrolebindings', {
    apiVersion: `${rbac}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { ...meta('cluster-admin', undefined, BOOTSTRAP_LABELS), annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: rbac, kind: 'Group', name: 'system:masters' }],
  });
}

/**
 * What controllers add to every namespace: the `default` ServiceAccount
 * (serviceaccount controller) and kube-root-ca.crt (root-ca-cert-publisher).
 */
export async function ensureNamespaceDefaults(deps: ServerDeps, namespace: string, rootCAPem?: string): Promise<void> {
  await ensure(deps, '', 'serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default', namespace) });
  if (!rootCAPem) return;
  await ensure(deps, '', 'configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { ...meta('kube-root-ca.crt', namespace), annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
    data: { 'ca.crt': rootCAPem },
  });
}

/** default/kubernetes Service, plus this server's address in its Endpoints/EndpointSlice. */
async function ensureKubernetesService(deps: ServerDeps): Promise<void> {
  const ip = firstServiceIP(deps.serviceClusterIPRange);
  await ensure(deps, '', 'services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('kubernetes', 'default', { component: 'apiserver', provider: 'kubernetes' }),
    spec: {
      type: 'ClusterIP',
      clusterIP: ip,
      clusterIPs: [ip],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: deps.securePort }],
    },
    status: { loadBalancer: {} },
  });
  await ensure(deps, 'networking.k8s.io', 'ipaddresses', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IPAddress',
    metadata: meta(ip, undefined, { 'ipaddress.kubernetes.io/ip-family': 'IPv4', 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' }),
    spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 'kubernetes' } },
  });
  const epDef = defOf('', 'endpoints');
  for (let attempt = 0; attempt < 5; attempt++) {
    const cur = await deps.store.get(epDef, 'default', 'kubernetes');
    const addresses: Array<{ ip: string }> = cur?.object.subsets?.[0]?.addresses ?? [];
    if (addresses.some((a) => a.ip === deps.advertiseAddress)) break;
    const next: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: cur?.object.metadata ?? meta('kubernetes', 'default', { 'endpointslice.kubernetes.io/skip-mirror': 'true' }),
      subsets: [{ addresses: [...addresses, { ip: deps.advertiseAddress }], ports: [{ name: 'https', port: deps.securePort, protocol: 'TCP' }] }],
    };
    const r = cur ? await deps.store.update(epDef, next, cur.modRevision) : await deps.store.create(epDef, next);
    if (r.ok) break;
  }
  const sliceDef = defOf('discovery.k8s.io', 'endpointslices');
  for (let attempt = 0; attempt < 5; attempt++) {
    const cur = await deps.store.get(sliceDef, 'default', 'kubernetes');
    const endpoints: Array<{ addresses: string[] }> = cur?.object.endpoints ?? [];
    if (endpoints.some((e) => e.addresses.includes(deps.advertiseAddress))) break;
    const next: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: cur?.object.metadata ?? meta('kubernetes', 'default', { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' }),
      addressType: 'IPv4',
      endpoints: [...endpoints, { addresses: [deps.advertiseAddress], conditions: { ready: true } }],
      ports: [{ name: 'https', port: deps.securePort, protocol: 'TCP' }],
    };
    const r = cur ? await deps.store.update(sliceDef, next, cur.modRevision) : await deps.store.create(sliceDef, next);
    if (r.ok) break;
  }
}

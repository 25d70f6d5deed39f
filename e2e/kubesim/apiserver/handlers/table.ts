// Server-side printing (meta.k8s.io/v1 Table) that `kubectl get` asks for, with the
// columns of the common kinds; other kinds get Name/Age (plus CRD printer columns).
import type { ResourceDef } from '../registry/resource-def.js';
import type { KubeObject } from '../storage/object-store.js';

type Obj = Record<string, any>;
interface Column {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  cell: (o: Obj, now: Date) => unknown;
}

export function humanAge(from: string | undefined, now: Date): string {
  if (!from) return '<unknown>';
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(from)) / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

const name: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata?.name };
const age: Column = { name: 'Age', type: 'string', cell: (o, now) => humanAge(o.metadata?.creationTimestamp, now) };

function nodeStatus(o: Obj): string {
  const ready = (o.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
  let s = ready ? (ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown') : 'Unknown';
  if (o.spec?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

function nodeRoles(o: Obj): string {
  const roles = Object.keys(o.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort();
  return roles.length ? roles.join(',') : '<none>';
}

const address = (type: string) => (o: Obj): string => (o.status?.addresses ?? []).find((a: Obj) => a.type === type)?.address ?? '<none>';

function podReady(o: Obj): string {
  const total = (o.spec?.containers ?? []).length;
  const ready = (o.status?.containerStatuses ?? []).filter((c: Obj) => c.ready).length;
  return `${ready}/${total}`;
}

function podRestarts(o: Obj): number {
  return (o.status?.containerStatuses ?? []).reduce((n: number, c: Obj) => n + (c.restartCount ?? 0), 0);
}

function podStatus(o: Obj): string {
  if (o.metadata?.deletionTimestamp) return 'Terminating';
  return o.status?.reason ?? o.status?.phase ?? 'Unknown';
}

function servicePorts(o: Obj): string {
  const ports = (o.spec?.ports ?? []) as Obj[];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function csrCondition(o: Obj): string {
  const conds = (o.status?.conditions ?? []) as Obj[];
  const names = conds.filter((c) => c.status !== 'False').map((c) => c.type);
  if (o.status?.certificate) names.push('Issued');
  return names.length ? names.join(',') : 'Pending';
}

const count = (v: unknown): number => (v && typeof v === 'object' ? Object.keys(v).length : 0);

const COLUMNS: Record<string, Column[]> = {
  '/configmaps': [name, { name: 'Data', type: 'integer', cell: (o) => count(o.data) + count(o.binaryData) }, age],
  '/secrets': [name, { name: 'Type', type: 'string', cell: (o) => o.type ?? 'Opaque' }, { name: 'Data', type: 'integer', cell: (o) => count(o.data) }, age],
  '/serviceaccounts': [name, { name: 'Secrets', type: 'integer', cell: (o) => (o.secrets ?? []).length }, age],
  '/endpoints': [
    name,
    {
      name: 'Endpoints',
      type: 'string',
      cell: (o) => ((o.subsets ?? []) as Obj[]).flatMap((s) => ((s.addresses ?? []) as Obj[]).flatMap((a) => ((s.ports ?? [{}]) as Obj[]).map((p) => (p.port ? `${a.ip}:${p.port}` : a.ip)))).join(',') || '<none>',
    },
    age,
  ],
  'coordination.k8s.io/leases': [name, { name: 'Holder', type: 'string', cell: (o) => o.spec?.holderIdentity ?? '' }, age],
  'apps/statefulsets': [name, { name: 'Ready', type: 'string', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` }, age],
  'apps/replicasets': [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.readyReplicas ?? 0 },
    age,
  ],
  'policy/poddisruptionbudgets': [
    name,
    { name: 'Min Available', type: 'string', cell: (o) => (o.spec?.minAvailable ?? 'N/A').toString() },
    { name: 'Max Unavailable', type: 'string', cell: (o) => (o.spec?.maxUnavailable ?? 'N/A').toString() },
    { name: 'Allowed Disruptions', type: 'integer', cell: (o) => o.status?.disruptionsAllowed ?? 0 },
    age,
  ],
  'scheduling.k8s.io/priorityclasses': [
    name,
    { name: 'Value', type: 'integer', cell: (o) => o.value ?? 0 },
    { name: 'Global-Default', type: 'boolean', cell: (o) => o.globalDefault ?? false },
    age,
  ],
  'apiextensions.k8s.io/customresourcedefinitions': [name, { name: 'Created At', type: 'date', cell: (o) => o.metadata?.creationTimestamp ?? '' }],
  '/nodes': [
    name,
    { name: 'Status', type: 'string', cell: nodeStatus },
    { name: 'Roles', type: 'string', cell: nodeRoles },
    age,
    { name: 'Version', type: 'string', cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
    { name: 'Internal-IP', type: 'string', priority: 1, cell: address('InternalIP') },
    { name: 'External-IP', type: 'string', priority: 1, cell: address('ExternalIP') },
    { name: 'OS-Image', type: 'string', priority: 1, cell: (o) => o.status?.nodeInfo?.osImage ?? '<unknown>' },
    { name: 'Kernel-Version', type: 'string', priority: 1, cell: (o) => o.status?.nodeInfo?.kernelVersion ?? '<unknown>' },
    { name: 'Container-Runtime', type: 'string', priority: 1, cell: (o) => o.status?.nodeInfo?.containerRuntimeVersion ?? '<unknown>' },
  ],
  '/pods': [
    name,
    { name: 'Ready', type: 'string', cell: podReady },
    { name: 'Status', type: 'string', cell: podStatus },
    { name: 'Restarts', type: 'string', cell: (o) => String(podRestarts(o)) },
    age,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => o.status?.podIP ?? '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' },
  ],
  '/namespaces': [name, { name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? 'Active' }, age],
  '/services': [
    name,
    { name: 'Type', type: 'string', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => o.spec?.clusterIP ?? '<none>' },
    { name: 'External-IP', type: 'string', cell: (o) => (o.spec?.externalIPs ?? []).join(',') || '<none>' },
    { name: 'Port(s)', type: 'string', cell: servicePorts },
    age,
  ],
  'apps/deployments': [
    name,
    { name: 'Ready', type: 'string', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.availableReplicas ?? 0 },
    age,
  ],
  'apps/daemonsets': [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => o.status?.desiredNumberScheduled ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.currentNumberScheduled ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.numberReady ?? 0 },
    age,
  ],
  'certificates.k8s.io/certificatesigningrequests': [
    name,
    age,
    { name: 'SignerName', type: 'string', cell: (o) => o.spec?.signerName ?? '' },
    { name: 'Requestor', type: 'string', cell: (o) => o.spec?.username ?? '' },
    { name: 'Condition', type: 'string', cell: csrCondition },
  ],
};

function jsonPathCell(path: string) {
  // additionalPrinterColumns use simple JSONPath like .spec.replicas
  const parts = path.replace(/^\{?\.?/, '').replace(/\}$/, '').split('.').filter(Boolean);
  return (o: Obj): unknown => parts.reduce<unknown>((cur, p) => (cur && typeof cur === 'object' ? (cur as Obj)[p] : undefined), o) ?? null;
}

function columnsFor(def: ResourceDef): Column[] {
  const builtin = COLUMNS[`${def.group}/${def.plural}`];
  if (builtin) return builtin;
  const extra = (def.printerColumns ?? []).map((c) => ({ name: c.name, type: c.type, priority: c.priority ?? 0, cell: jsonPathCell(c.jsonPath) }));
  return extra.some((c) => c.name === 'Age') ? [name, ...extra] : [name, ...extra, age];
}

export function toTable(def: ResourceDef, items: KubeObject[], listMeta: Record<string, unknown>, includeObject: string | null, now: Date): Record<string, unknown> {
  const cols = columnsFor(def);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: cols.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.name, priority: c.priority ?? 0 })),
    rows: items.map((o) => ({
      cells: cols.map((c) => c.cell(o, now)),
      object:
        includeObject === 'Object'
          ? o
          : includeObject === 'None'
            ? undefined
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

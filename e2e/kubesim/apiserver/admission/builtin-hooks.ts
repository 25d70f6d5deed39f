// Per-kind behaviour of the real apiserver that clients observe: defaults a few
// controllers/tools read back, Service IP allocation, CSR requester identity, CRD
// status, Namespace phase. Keyed by "<group>/<plural>".
import { errors } from '../http/status.js';
import { deepEqual } from '../patch/merge-patch.js';
import type { KubeObject } from '../storage/object-store.js';
import { rfc3339, type AdmissionHook, type RequestContext } from '../handlers/context.js';
import { ensureNamespaceDefaults } from '../bootstrap.js';
import { allocateClusterIP, allocateNodePorts, releaseClusterIP } from './service-allocation.js';
import { isProtectedGroup, prune, structuralProblems, validateAgainstSchema, type FieldError } from './structural-schema.js';

type Obj = Record<string, any>;

function defaultPodSpec(spec: Obj | undefined): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as Obj[]) {
    const image = String(c.image ?? '');
    c.imagePullPolicy ??= image.endsWith(':latest') || !/:[^/]+$/.test(image) ? 'Always' : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
    for (const p of (c.ports ?? []) as Obj[]) p.protocol ??= 'TCP';
  }
}

function defaultTemplate(obj: Obj): void {
  defaultPodSpec(obj.spec?.template?.spec);
}

function requireSelectorMatchesTemplate(kind: string, group: string, obj: KubeObject): void {
  const sel = obj.spec?.selector?.matchLabels as Record<string, string> | undefined;
  const labels = (obj.spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
  if (!obj.spec?.selector) {
    throw errors.invalid(kind, group, obj.metadata.name, [{ field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' }]);
  }
  if (sel && !Object.entries(sel).every(([k, v]) => labels[k] === v)) {
    throw errors.invalid(kind, group, obj.metadata.name, [{ field: 'spec.template.metadata.labels', message: `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\`` }]);
  }
}

function immutableSelector(kind: string, group: string, oldObj: KubeObject, newObj: KubeObject): void {
  if (!deepEqual(oldObj.spec?.selector, newObj.spec?.selector)) {
    throw errors.invalid(kind, group, newObj.metadata.name, [{ field: 'spec.selector', message: `Invalid value: ${JSON.stringify(newObj.spec?.selector)}: field is immutable` }]);
  }
}

function workload(kind: string, defaults: (spec: Obj) => void): AdmissionHook {
  return {
    create(_ctx, obj) {
      obj.spec ??= {};
      defaults(obj.spec);
      defaultTemplate(obj);
      requireSelectorMatchesTemplate(kind, 'apps', obj);
    },
    update(_ctx, oldObj, newObj) {
      newObj.spec ??= {};
      defaults(newObj.spec);
      defaultTemplate(newObj);
      requireSelectorMatchesTemplate(kind, 'apps', newObj);
      immutableSelector(kind, 'apps', oldObj, newObj);
    },
  };
}

/** Secret.stringData is write-only: merged into data (base64) and dropped. */
function foldStringData(obj: KubeObject): void {
  if (!obj.stringData) return;
  obj.data = { ...(obj.data ?? {}) };
  for (const [k, v] of Object.entries(obj.stringData as Record<string, string>)) obj.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  delete obj.stringData;
}

function immutableData(kind: string, oldObj: KubeObject, newObj: KubeObject): void {
  if (oldObj.immutable !== true) return;
  const causes: Array<{ field: string; message: string; reason: string }> = [];
  if (newObj.immutable !== true) causes.push({ field: 'immutable', reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set' });
  if (!deepEqual(oldObj.data, newObj.data)) causes.push({ field: 'data', reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set' });
  if (!deepEqual(oldObj.binaryData, newObj.binaryData) && kind === 'ConfigMap') causes.push({ field: 'binaryData', reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set' });
  if (causes.length) throw errors.invalid(kind, '', newObj.metadata.name, causes);
}

const secretHook: AdmissionHook = {
  create(_ctx, obj) {
    foldStringData(obj);
    obj.type ??= 'Opaque';
  },
  update(_ctx, oldObj, obj) {
    foldStringData(obj);
    obj.type ??= oldObj.type ?? 'Opaque';
    if (obj.type !== oldObj.type) throw errors.invalid('Secret', '', obj.metadata.name, [{ field: 'type', reason: 'FieldValueInvalid', message: `Invalid value: "${obj.type}": field is immutable` }]);
    immutableData('Secret', oldObj, obj);
  },
};

const configMapHook: AdmissionHook = {
  update(_ctx, oldObj, obj) {
    immutableData('ConfigMap', oldObj, obj);
  },
};

const namespaceHook: AdmissionHook = {
  create(_ctx, obj) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    obj.spec = { finalizers: ['kubernetes'], ...(obj.spec ?? {}) };
    obj.status = { phase: 'Active' };
  },
  update(_ctx, _old, obj) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
  },
  async written(ctx, obj) {
    // The serviceaccount and root-ca-cert-publisher controllers' job, done at once.
    if (obj) await ensureNamespaceDefaults(ctx.deps, obj.metadata.name, ctx.deps.rootCAPem);
  },
};

const serviceHook: AdmissionHook = {
  async create(ctx, obj) {
    obj.spec ??= {};
    const spec = obj.spec as Obj;
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
    for (const p of (spec.ports ?? []) as Obj[]) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
    await allocateClusterIP(ctx, obj);
    await allocateNodePorts(ctx, obj);
  },
  async update(ctx, oldObj, obj) {
    obj.spec ??= {};
    const spec = obj.spec as Obj;
    spec.type ??= 'ClusterIP';
    for (const p of (spec.ports ?? []) as Obj[]) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
    // ClusterIPs are immutable; requests that omit them keep the allocated ones.
    spec.clusterIP ??= oldObj.spec?.clusterIP;
    spec.clusterIPs ??= oldObj.spec?.clusterIPs;
    spec.ipFamilies ??= oldObj.spec?.ipFamilies;
    spec.ipFamilyPolicy ??= oldObj.spec?.ipFamilyPolicy;
    if (spec.clusterIP !== oldObj.spec?.clusterIP && oldObj.spec?.clusterIP) {
      throw errors.invalid('Service', '', obj.metadata.name, [{ field: 'spec.clusterIPs[0]', message: `Invalid value: "${spec.clusterIP}": may not change once set` }]);
    }
    await allocateNodePorts(ctx, obj, oldObj);
  },
};

const podHook: AdmissionHook = {
  create(_ctx, obj) {
    defaultPodSpec(obj.spec);
    obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
  },
};

const csrHook: AdmissionHook = {
  create(ctx: RequestContext, obj) {
    obj.spec ??= {};
    // The requester's identity is recorded by the server, never taken from the client.
    obj.spec.username = ctx.user.name;
    obj.spec.groups = ctx.user.groups;
    if (ctx.user.uid) obj.spec.uid = ctx.user.uid;
    else delete obj.spec.uid;
    obj.status = {};
  },
  update(ctx, oldObj, newObj) {
    if (ctx.subresource !== 'approval') return;
    const conditions = (newObj.status?.conditions ?? []) as Obj[];
    const types = new Set(conditions.map((c) => c.type));
    if (types.has('Approved') && types.has('Denied')) {
      throw errors.invalid('CertificateSigningRequest', 'certificates.k8s.io', newObj.metadata.name, [{ field: 'status.conditions', message: 'Invalid value: "Approved": Approved and Denied conditions are mutually exclusive' }]);
    }
    const wasDecided = ((oldObj.status?.conditions ?? []) as Obj[]).some((c) => (c.type === 'Approved' || c.type === 'Denied') && c.status === 'True');
    for (const c of conditions) {
      c.status ??= 'True';
      c.lastUpdateTime ??= rfc3339(ctx.now);
      c.lastTransitionTime ??= rfc3339(ctx.now);
    }
    if (wasDecided && !deepEqual(oldObj.status?.conditions?.map((c: Obj) => c.type), conditions.map((c) => c.type))) {
      const removed = ((oldObj.status?.conditions ?? []) as Obj[]).some((c) => (c.type === 'Approved' || c.type === 'Denied') && !types.has(c.type));
      if (removed) throw errors.invalid('CertificateSigningRequest', 'certificates.k8s.io', newObj.metadata.name, [{ field: 'status.conditions', message: 'Forbidden: updates may not remove a condition of type "Approved" or "Denied"' }]);
    }
  },
};

function crdStatus(ctx: RequestContext, obj: KubeObject): void {
  const now = rfc3339(ctx.now);
  const versions = (obj.spec?.versions ?? []) as Obj[];
  const storage = versions.find((v) => v.storage)?.name;
  const stored = new Set<string>((obj.status?.storedVersions as string[] | undefined) ?? []);
  if (storage) stored.add(storage);
  obj.status = {
    acceptedNames: obj.spec?.names ?? {},
    conditions: [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: now },
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: now },
    ],
    storedVersions: [...stored],
  };
}

/** Structural schemas for every version; approval for the protected groups (as the real server). */
function validateCrd(obj: KubeObject): void {
  const problems: FieldError[] = [];
  ((obj.spec?.versions ?? []) as Obj[]).forEach((v, i) => problems.push(...structuralProblems(v.schema?.openAPIV3Schema, `spec.versions[${i}].schema.openAPIV3Schema`)));
  const group = String(obj.spec?.group ?? '');
  if (isProtectedGroup(group) && !obj.metadata.annotations?.['api-approved.kubernetes.io']) {
    problems.push({ field: 'metadata.annotations[api-approved.kubernetes.io]', reason: 'FieldValueRequired', message: 'Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111' });
  }
  if (problems.length > 0) throw errors.invalid('CustomResourceDefinition', 'apiextensions.k8s.io', obj.metadata.name, problems);
}

const crdHook: AdmissionHook = {
  create(ctx, obj) {
    const expected = `${obj.spec?.names?.plural}.${obj.spec?.group}`;
    if (obj.metadata.name !== expected) {
      throw errors.invalid('CustomResourceDefinition', 'apiextensions.k8s.io', obj.metadata.name, [{ field: 'metadata.name', message: `Invalid value: "${obj.metadata.name}": must be spec.names.plural+"."+spec.group` }]);
    }
    validateCrd(obj);
    crdStatus(ctx, obj);
  },
  update(ctx, _old, obj) {
    if (ctx.subresource !== 'status') {
      validateCrd(obj);
      crdStatus(ctx, obj);
    }
  },
  async written(ctx) {
    await ctx.deps.registry.refresh();
  },
};

export const BUILTIN_HOOKS: Record<string, AdmissionHook> = {
  '/namespaces': namespaceHook,
  '/secrets': secretHook,
  '/configmaps': configMapHook,
  '/services': serviceHook,
  '/pods': podHook,
  'apps/deployments': workload('Deployment', (s) => {
    s.replicas ??= 1;
    s.revisionHistoryLimit ??= 10;
    s.progressDeadlineSeconds ??= 600;
    s.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  }),
  'apps/daemonsets': workload('DaemonSet', (s) => {
    s.revisionHistoryLimit ??= 10;
    s.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
  }),
  'apps/statefulsets': workload('StatefulSet', (s) => {
    s.replicas ??= 1;
    s.podManagementPolicy ??= 'OrderedReady';
    s.revisionHistoryLimit ??= 10;
    s.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
  }),
  'apps/replicasets': workload('ReplicaSet', (s) => {
    s.replicas ??= 1;
  }),
  'certificates.k8s.io/certificatesigningrequests': csrHook,
  'apiextensions.k8s.io/customresourcedefinitions': crdHook,
};

/** Cleanup after a delete (release allocated IPs). */
export async function afterDelete(ctx: RequestContext, obj: KubeObject): Promise<void> {
  if (ctx.def.group === '' && ctx.def.plural === 'services') await releaseClusterIP(ctx, obj);
  if (ctx.def.group === 'apiextensions.k8s.io' && ctx.def.plural === 'customresourcedefinitions') await ctx.deps.registry.refresh();
}

/**
 * Unknown fields of a custom resource are pruned (the server's default), or rejected with
 * fieldValidation=Strict. Exported for server-side apply, which prunes the applied
 * configuration before merging it.
 */
export function pruneCustomResource(ctx: RequestContext, obj: unknown): void {
  const removed = prune(obj, ctx.def.schema);
  if (removed.length > 0 && ctx.query.get('fieldValidation') === 'Strict') {
    throw errors.badRequest(`strict decoding error: ${removed.map((p) => `unknown field "${p}"`).join(', ')}`);
  }
}

function checkCustomResource(ctx: RequestContext, obj: KubeObject): void {
  pruneCustomResource(ctx, obj);
  const problems = validateAgainstSchema(obj, ctx.def.schema);
  if (problems.length > 0) throw errors.invalid(ctx.def.kind, ctx.def.group, obj.metadata.name, problems);
}

/** Custom resources are checked against their CRD's structural schema. */
const customResourceHook: AdmissionHook = {
  create: (ctx, obj) => checkCustomResource(ctx, obj),
  update: (ctx, _old, obj) => checkCustomResource(ctx, obj),
};

export function hookFor(ctx: RequestContext): AdmissionHook {
  if (ctx.def.crdName) return customResourceHook;
  return BUILTIN_HOOKS[`${ctx.def.group}/${ctx.def.plural}`] ?? {};
}

// Subresources with their own semantics: pods/eviction (PodDisruptionBudgets),
// pods/binding, */scale, and the create-only review resources.
import { errors, successStatus } from '../http/status.js';
import { BUILTIN_RESOURCES } from '../registry/builtin-resources.js';
import { labelSelectorObjectMatcher } from '../selectors/selectors.js';
import type { KubeObject } from '../storage/object-store.js';
import { applyMergePatch, applyJsonPatch, isPlainObject } from '../patch/merge-patch.js';
import type { RequestContext } from './context.js';
import { deleteObject } from './delete.js';
import { updateObject, type HandlerResult } from './write.js';

const pdbDef = BUILTIN_RESOURCES.find((d) => d.plural === 'poddisruptionbudgets')!;
type Obj = Record<string, any>;

function isHealthy(pod: Obj): boolean {
  if (pod.metadata?.deletionTimestamp || pod.status?.phase !== 'Running') return false;
  const ready = (pod.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
  return !ready || ready.status === 'True';
}

/** minAvailable / maxUnavailable as a number of pods ("50%" rounds up like the real server). */
function scaled(v: number | string, expected: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  return m ? Math.ceil((Number(m[1]) * expected) / 100) : Number(v);
}

export async function evictPod(ctx: RequestContext, body: unknown): Promise<HandlerResult> {
  const name = ctx.name!;
  const pod = await ctx.deps.store.get(ctx.def, ctx.namespace, name);
  if (!pod) throw errors.notFound('', 'pods', name);
  const p = pod.object;
  const terminal = p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' || p.metadata.deletionTimestamp;
  if (!terminal) {
    const { items: pdbs } = await ctx.deps.store.list(pdbDef, ctx.namespace);
    const matching = pdbs.filter((b) => labelSelectorObjectMatcher(b.spec?.selector)(p.metadata.labels));
    if (matching.length > 1) throw errors.internal('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    if (matching.length === 1) await checkBudget(ctx, matching[0]!, p);
  }
  const deleteOptions = isPlainObject(body) ? (body as Obj).deleteOptions : undefined;
  await deleteObject({ ...ctx, subresource: undefined }, deleteOptions);
  return { code: 201, body: { ...successStatus(), code: 201 } };
}

async function checkBudget(ctx: RequestContext, pdb: KubeObject, pod: KubeObject): Promise<void> {
  const { items: pods } = await ctx.deps.store.list(ctx.def, ctx.namespace);
  const selected = pods.filter((x) => labelSelectorObjectMatcher(pdb.spec?.selector)(x.metadata.labels) && !x.metadata.deletionTimestamp);
  const expected = selected.length;
  const healthy = selected.filter(isHealthy).length;
  let desired: number;
  if (pdb.spec?.minAvailable !== undefined) desired = scaled(pdb.spec.minAvailable, expected);
  else if (pdb.spec?.maxUnavailable !== undefined) desired = Math.max(0, expected - scaled(pdb.spec.maxUnavailable, expected));
  else desired = expected;
  // A healthy pod may go if one disruption is allowed; an unhealthy one if the budget is met.
  const allowed = isHealthy(pod) ? healthy - desired >= 1 : healthy >= desired;
  if (!allowed) {
    throw errors.tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", {
      causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${desired} healthy pods and has ${healthy} currently` }],
    });
  }
}

export async function bindPod(ctx: RequestContext, body: unknown): Promise<HandlerResult> {
  const target = (body as Obj | undefined)?.target?.name as string | undefined;
  if (!target) throw errors.badRequest('binding target name is required');
  const pod = await ctx.deps.store.get(ctx.def, ctx.namespace, ctx.name!);
  if (!pod) throw errors.notFound('', 'pods', ctx.name!);
  if (pod.object.spec?.nodeName) throw errors.conflict('', 'pods/binding', ctx.name!, `pod ${ctx.name} is already assigned to node "${pod.object.spec.nodeName}"`);
  const next = { ...pod.object, spec: { ...pod.object.spec, nodeName: target } };
  await updateObject({ ...ctx, subresource: undefined }, next);
  return { code: 201, body: { ...successStatus(), code: 201 } };
}

function scaleOf(obj: KubeObject): Obj {
  const sel = obj.spec?.selector;
  const selector = sel?.matchLabels ? Object.entries(sel.matchLabels as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',') : undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}

export async function getScale(ctx: RequestContext): Promise<HandlerResult> {
  const cur = await ctx.deps.store.get(ctx.def, ctx.namespace, ctx.name!);
  if (!cur) throw errors.notFound(ctx.def.group, ctx.def.plural, ctx.name!);
  return { code: 200, body: scaleOf(cur.object) };
}

/** PUT or PATCH (merge / json) of a Scale: sets spec.replicas of the scaled object. */
export async function writeScale(ctx: RequestContext, body: unknown, patchKind?: 'json' | 'merge' | 'strategic' | 'apply'): Promise<HandlerResult> {
  const cur = await ctx.deps.store.get(ctx.def, ctx.namespace, ctx.name!);
  if (!cur) throw errors.notFound(ctx.def.group, ctx.def.plural, ctx.name!);
  const scale = scaleOf(cur.object);
  const next = patchKind === 'json' ? applyJsonPatch(scale, body) : patchKind ? applyMergePatch(scale, body) : body;
  const replicas = (next as Obj | undefined)?.spec?.replicas;
  if (typeof replicas !== 'number' || replicas < 0) throw errors.badRequest('spec.replicas must be a non-negative integer');
  const rv = patchKind ? undefined : (next as Obj).metadata?.resourceVersion;
  const updated = { ...cur.object, metadata: { ...cur.object.metadata, resourceVersion: rv ?? cur.object.metadata.resourceVersion }, spec: { ...cur.object.spec, replicas } };
  const r = await updateObject({ ...ctx, subresource: undefined }, updated);
  return { code: 200, body: scaleOf(r.body as KubeObject) };
}

/** POST serviceaccounts/<name>/token (TokenRequest). */
export async function createServiceAccountToken(ctx: RequestContext, body: unknown): Promise<HandlerResult> {
  const tokens = ctx.deps.serviceAccountTokens;
  if (!tokens?.canIssue) throw errors.notFoundPath();
  const sa = await ctx.deps.store.get(ctx.def, ctx.namespace, ctx.name!);
  if (!sa) throw errors.notFound('', 'serviceaccounts', ctx.name!);
  const spec = ((body as Obj | undefined)?.spec ?? {}) as Obj;
  const expirationSeconds = Math.max(600, Number(spec.expirationSeconds ?? 3600));
  const audiences = (spec.audiences as string[] | undefined)?.length ? (spec.audiences as string[]) : ctx.deps.apiAudiences;
  const { token, expires } = tokens.issue({ namespace: ctx.namespace!, name: ctx.name!, uid: sa.object.metadata.uid }, audiences, expirationSeconds, ctx.now);
  return {
    code: 201,
    body: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: ctx.name, namespace: ctx.namespace, creationTimestamp: null },
      spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
      status: { token, expirationTimestamp: expires.toISOString().replace(/\.\d{3}Z$/, 'Z') },
    },
  };
}

/** SelfSubjectAccessReview & co.: everyone authenticated is allowed everything. */
export async function createReview(ctx: RequestContext, body: unknown, reviewToken: (token: string) => Promise<Obj | undefined>): Promise<HandlerResult> {
  const obj = (isPlainObject(body) ? body : {}) as Obj;
  const base = { apiVersion: `${ctx.def.group}/${ctx.def.version}`, kind: ctx.def.kind, metadata: { creationTimestamp: null }, spec: obj.spec ?? {} };
  const user = ctx.user;
  switch (ctx.def.kind) {
    case 'SelfSubjectReview':
      return { code: 201, body: { ...base, status: { userInfo: { username: user.name, groups: user.groups, ...(user.uid ? { uid: user.uid } : {}) } } } };
    case 'SelfSubjectRulesReview':
      return {
        code: 201,
        body: { ...base, status: { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false } },
      };
    case 'TokenReview': {
      const u = await reviewToken(String(obj.spec?.token ?? ''));
      return { code: 201, body: { ...base, spec: {}, status: u ? { authenticated: true, user: u, audiences: obj.spec?.audiences ?? [] } : { authenticated: false } } };
    }
    default:
      return { code: 201, body: { ...base, status: { allowed: true, reason: 'kubesim allows every authenticated request' } } };
  }
}

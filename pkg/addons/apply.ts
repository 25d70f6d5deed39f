// Applying and pruning addon objects through the Kubernetes API (server-side apply with the
// kubeone field manager), and listing the labelled live objects for the probe.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ObjectRef, RenderedAddon, RenderedObject } from '../plan/types.js';
import type { AddonObjectFacts } from '../snapshot/types.js';
import { statusOf } from '../kube/api-status.js';
import { RawObjectApi, type KubernetesObject } from './kube-client.js';
import { ADDON_LABEL, hashObject, normalizeObject, objectKey, projectLiveOntoRendered, redactObject, type KubeObject } from './normalize.js';
import { registeredSecrets } from '../log/redact.js';
import { fullObject, maskCredentials, SENSITIVE } from './render.js';
import { PATCH_ADDONS } from './patch-addons.js';
import { RETIRED_OBJECTS, isRetired } from './retired.js';

export const FIELD_MANAGER = 'kubeone';

export type { ObjectRef };

export interface ApplyOptions {
  /** Attempts for an object whose kind is not served yet (a CRD just created). Default 20. */
  attempts?: number;
  /** Delay between those attempts in ms. Default 500. */
  retryDelayMs?: number;
}

export interface ApplyResult {
  applied: ObjectRef[];
  /** Objects not applied, with why (a patch addon whose target does not exist). */
  skipped: { object: ObjectRef; reason: string }[];
}

const ref = (o: ObjectRef): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name });
const describe = (o: ObjectRef): string => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function header(o: ObjectRef): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } {
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) } };
}

/** CRDs first, then namespaces, then everything else in render order. */
export function applyOrder(objects: readonly RenderedObject[]): RenderedObject[] {
  const rank = (o: RenderedObject): number => (o.kind === 'CustomResourceDefinition' ? 0 : o.kind === 'Namespace' ? 1 : 2);
  return objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map(({ o }) => o);
}

function notServedYet(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : String(e);
  return /Unrecognized API version and kind|Failed to fetch resource metadata/.test(msg) || statusOf(e) === 404;
}

/** Server-side applies every object of `addon` (field manager kubeone, conflicts forced). */
export async function applyAddonObjects(kubeConfig: KubeConfig, addon: RenderedAddon, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const client = RawObjectApi.fromKubeConfig(kubeConfig);
  const attempts = opts.attempts ?? 20;
  const delay = opts.retryDelayMs ?? 500;
  const result: ApplyResult = { applied: [], skipped: [] };
  for (const o of applyOrder(addon.objects)) {
    if (PATCH_ADDONS.has(addon.name)) {
      // A patch only makes sense on an existing object: applying it alone would create a fragment.
      const exists = await client.read(header(o)).then(
        () => true,
        (e: unknown) => {
          if (statusOf(e) === 404) return false;
          throw new Error(`addon ${addon.name}: read ${describe(o)}: ${errorText(e)}`, { cause: e });
        },
      );
      if (!exists) {
        result.skipped.push({ object: ref(o), reason: `${describe(o)} does not exist: nothing to patch` });
        continue;
      }
    }
    const body = fullObject(o) as KubernetesObject;
    for (let attempt = 1; ; attempt++) {
      try {
        await client.patch(body, undefined, undefined, FIELD_MANAGER, true, 'application/apply-patch+yaml');
        break;
      } catch (e) {
        if (attempt < attempts && notServedYet(e)) {
          client.forget(o.apiVersion);
          await sleep(delay);
          continue;
        }
        throw new Error(`addon ${addon.name || '(root)'}: apply ${describe(o)}: ${errorText(e)}`, { cause: e });
      }
    }
    result.applied.push(ref(o));
  }
  return result;
}

/**
 * Deletes objects that carry the addon label (an object without it is not ours any more and
 * is left alone). Missing objects are fine: the goal is that they are gone.
 */
export async function pruneAddonObjects(
  kubeConfig: KubeConfig,
  objects: readonly (ObjectRef & { addon?: string })[],
): Promise<{ deleted: ObjectRef[]; missing: ObjectRef[]; notOurs: ObjectRef[] }> {
  const client = RawObjectApi.fromKubeConfig(kubeConfig);
  const out = { deleted: [] as ObjectRef[], missing: [] as ObjectRef[], notOurs: [] as ObjectRef[] };
  // Reverse apply order: dependents before what they depend on, CRDs last.
  for (const o of [...applyOrder(objects as unknown as RenderedObject[])].reverse() as unknown as (ObjectRef & { addon?: string })[]) {
    let live: KubernetesObject;
    try {
      live = await client.read(header(o));
    } catch (e) {
      if (statusOf(e) === 404 || notServedYet(e)) {
        out.missing.push(ref(o));
        continue;
      }
      throw new Error(`prune ${describe(o)}: ${errorText(e)}`, { cause: e });
    }
    const label = live.metadata?.labels?.[ADDON_LABEL];
    // An object KubeOne retires by name (it never carried a label) is deleted for that addon.
    const retired = label === undefined && o.addon !== undefined && isRetired(o.addon, o);
    if (!retired && (label === undefined || (o.addon !== undefined && label !== o.addon))) {
      out.notOurs.push(ref(o));
      continue;
    }
    try {
      await client.delete(header(o), undefined, undefined, undefined, undefined, 'Background');
      out.deleted.push(ref(o));
    } catch (e) {
      if (statusOf(e) === 404) out.missing.push(ref(o));
      else throw new Error(`prune ${describe(o)}: ${errorText(e)}`, { cause: e });
    }
  }
  return out;
}

/** Masks the live value wherever the rendered object holds a masked credential. */
function maskLike(live: unknown, rendered: unknown): unknown {
  if (rendered === SENSITIVE) return SENSITIVE;
  if (Array.isArray(live) && Array.isArray(rendered)) return live.map((x, i) => maskLike(x, rendered[i]));
  if (live && rendered && typeof live === 'object' && typeof rendered === 'object') {
    const r = rendered as Record<string, unknown>;
    return Object.fromEntries(Object.entries(live).map(([k, v]) => [k, maskLike(v, r[k])]));
  }
  return live;
}

/** AddonObjectFacts of one live object; with its rendered counterpart, projected onto its fields. */
export function liveFacts(live: KubeObject, rendered?: RenderedObject): AddonObjectFacts {
  const meta = (live.metadata ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string> };
  const base = {
    addon: meta.labels?.[ADDON_LABEL] ?? '',
    apiVersion: String(live.apiVersion),
    kind: String(live.kind),
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
  };
  if (rendered) {
    const projected = projectLiveOntoRendered(live, fullObject(rendered));
    return { ...base, hash: hashObject(projected), object: maskCredentials(maskLike(redactObject(projected), rendered.object) as KubeObject, registeredSecrets()) };
  }
  const normalized = normalizeObject(live);
  // No rendered counterpart to copy masks from: mask by value (the secrets the CLI registered).
  return { ...base, hash: hashObject(normalized), object: maskCredentials(redactObject(normalized), registeredSecrets()) };
}

async function pool<T, R>(items: readonly T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

const SKIP_KINDS = new Set(['Event', 'ComponentStatus', 'Binding']);

/**
 * Every live object carrying the addon label (all listable kinds, found by discovery), plus
 * the targets of patch addons, which are kubeadm's objects; sorted by identity. With
 * `rendered`, each object is projected onto its rendered counterpart's fields before hashing.
 */
export async function listAddonObjects(kubeConfig: KubeConfig, rendered: readonly RenderedAddon[] = []): Promise<AddonObjectFacts[]> {
  const client = RawObjectApi.fromKubeConfig(kubeConfig);
  const byKey = new Map(rendered.flatMap((a) => a.objects.map((o) => [objectKey(o), o] as const)));
  const kinds = (await client.discoverListable()).filter((k) => !SKIP_KINDS.has(k.kind));
  const found = new Map<string, AddonObjectFacts>();
  const lists = await pool(kinds, 6, async (k) => {
    try {
      const list = await client.list(k.apiVersion, k.kind, undefined, undefined, undefined, undefined, undefined, ADDON_LABEL);
      return list.items.map((item) => ({ ...item, apiVersion: k.apiVersion, kind: k.kind }) as KubeObject);
    } catch (e) {
      if (statusOf(e) === 404 || statusOf(e) === 405) return [];
      throw new Error(`list ${k.kind} (${k.apiVersion}) with label ${ADDON_LABEL}: ${errorText(e)}`, { cause: e });
    }
  });
  for (const item of lists.flat()) {
    const facts = liveFacts(item, undefined);
    const counterpart = byKey.get(objectKey(facts)) ?? (facts.namespace === 'default' ? byKey.get(objectKey({ ...facts, namespace: '' })) : undefined);
    found.set(objectKey(facts), liveFacts(item, counterpart));
  }
  // Patch targets belong to kubeadm; read them by name.
  for (const a of rendered.filter((x) => PATCH_ADDONS.has(x.name))) {
    for (const o of a.objects) {
      if (found.has(objectKey(o))) continue;
      try {
        const live = (await client.read(header(o))) as unknown as KubeObject;
        const facts = liveFacts({ ...live, apiVersion: o.apiVersion, kind: o.kind }, o);
        found.set(objectKey(o), { ...facts, addon: facts.addon || a.name });
      } catch (e) {
        if (statusOf(e) !== 404) throw new Error(`read ${describe(o)}: ${errorText(e)}`, { cause: e });
      }
    }
  }
  // Objects an addon retires by name (KubeOne created them without a label): read them too.
  for (const a of rendered) {
    for (const o of RETIRED_OBJECTS[a.name] ?? []) {
      if (found.has(objectKey(o))) continue;
      try {
        const live = (await client.read(header(o))) as unknown as KubeObject;
        const facts = liveFacts({ ...live, apiVersion: o.apiVersion, kind: o.kind }, undefined);
        if (facts.addon === '') found.set(objectKey(o), { ...facts, addon: a.name });
      } catch (e) {
        if (statusOf(e) !== 404) throw new Error(`read ${describe(o)}: ${errorText(e)}`, { cause: e });
      }
    }
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** A one-line error text; API errors carry a Status body whose message is the useful part. */
export function errorText(e: unknown): string {
  const body = (e as { body?: unknown } | null)?.body;
  if (typeof body === 'string') {
    try {
      const status = JSON.parse(body) as { message?: string };
      if (status.message) return status.message;
    } catch {
      /* not JSON */
    }
  }
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

// Normalization of addon objects, shared by the renderer (desired side) and the probe (live
// side), so that one hash compares them: server-set fields are stripped, and a live object is
// projected onto the fields the rendered object sets (what server-side apply owns).

import { canonicalJson } from '../api/canonical-json.js';
import { sha256Hex } from '../api/sha256.js';

export type KubeObject = Record<string, unknown>;

export const ADDON_LABEL = 'kubeone.io/addon';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Drops null and empty-string values (server-side they read as "unset"), recursively. */
function dropUnset(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropUnset);
  if (v instanceof Date) return v.toISOString();
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined || x === '') continue;
    out[k] = dropUnset(x);
  }
  return out;
}

/**
 * The object as it compares: no status, no server-set metadata, no last-applied annotation,
 * Secret stringData folded into data (base64, as the server stores it).
 */
export function normalizeObject(obj: KubeObject): KubeObject {
  const out = dropUnset(structuredClone(obj)) as KubeObject;
  delete out.status;
  const meta = isPlainObject(out.metadata) ? out.metadata : {};
  for (const k of SERVER_METADATA) delete meta[k];
  if (isPlainObject(meta.annotations)) {
    delete meta.annotations[LAST_APPLIED];
    if (!Object.keys(meta.annotations).length) delete meta.annotations;
  }
  if (isPlainObject(meta.labels) && !Object.keys(meta.labels).length) delete meta.labels;
  out.metadata = meta;
  if (out.kind === 'Secret' && out.apiVersion === 'v1' && isPlainObject(out.stringData)) {
    const data = isPlainObject(out.data) ? out.data : {};
    for (const [k, v] of Object.entries(out.stringData)) data[k] = Buffer.from(String(v)).toString('base64');
    out.data = data;
    delete out.stringData;
  }
  return out;
}

/** sha256 (hex) of the normalized object. */
export function hashObject(obj: KubeObject): string {
  return sha256Hex(canonicalJson(normalizeObject(obj)));
}

function project(live: unknown, desired: unknown): unknown {
  if (isPlainObject(desired) && isPlainObject(live)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(desired)) if (k in live) out[k] = project(live[k], desired[k]);
    return out;
  }
  if (Array.isArray(desired) && Array.isArray(live)) {
    // Element-wise by position; extra live elements stay whole so the difference shows.
    return live.map((x, i) => (i < desired.length ? project(x, desired[i]) : x));
  }
  return live;
}

/**
 * The live object restricted to the fields the rendered object sets (both normalized):
 * defaults the server adds and fields other managers own do not count as drift.
 */
export function projectLiveOntoRendered(live: KubeObject, rendered: KubeObject): KubeObject {
  return project(normalizeObject(live), normalizeObject(rendered)) as KubeObject;
}

/** The object without Secret data: what may appear in plans, snapshots and logs. */
export function redactObject(obj: KubeObject): KubeObject {
  if (obj.kind !== 'Secret') return obj;
  const { data: _d, stringData: _s, ...rest } = obj;
  return rest;
}

/** Group of an apiVersion ('' for core), the part of identity that survives version changes. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Identity of an object across versions of its API: group/kind/namespace/name. */
export function objectKey(o: { apiVersion: string; kind: string; namespace: string; name: string }): string {
  return `${apiGroup(o.apiVersion)}/${o.kind}/${o.namespace}/${o.name}`;
}

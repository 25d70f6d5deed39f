// What the server knows about one resource at one served group/version.

export type ListType = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: string[] };

/** Resolves the list semantics (for strategic merge and server-side apply) of a list field. */
export type ListTypeResolver = (fieldPath: readonly string[], sample: unknown) => ListType;

export interface ResourceDef {
  group: string;
  /** The served version this definition is for. */
  version: string;
  /** The version objects are written to etcd with (CRDs with several versions). */
  storageVersion: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Subresources served, e.g. status, scale, eviction, approval. */
  subresources: string[];
  /** etcd key prefix below the storage prefix, e.g. "pods" or "services/specs". */
  etcdPath: string;
  /** PUT on a missing object creates it (leases, endpoints, RBAC objects). */
  createOnUpdate: boolean;
  /** Create-only review resources (SelfSubjectAccessReview...), never stored. */
  virtual: boolean;
  /** Strategic-merge list semantics; SSA uses listTypes. */
  strategicListType: ListTypeResolver;
  listType: ListTypeResolver;
  /** Columns for table output (additionalPrinterColumns for CRDs). */
  printerColumns?: Array<{ name: string; type: string; jsonPath: string; description?: string; priority?: number }>;
  /** Set for custom resources. */
  crdName?: string;
  /** Custom resources: the served version's openAPIV3Schema (pruning and validation). */
  schema?: Record<string, unknown>;
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function groupVersion(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

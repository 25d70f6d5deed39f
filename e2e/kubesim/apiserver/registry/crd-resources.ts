// Turns a CustomResourceDefinition object into the ResourceDefs of its served versions.
import { ALL_VERBS, type ListType, type ListTypeResolver, type ResourceDef } from './resource-def.js';

type Schema = Record<string, unknown>;

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: Schema };
  subresources?: { status?: unknown; scale?: unknown };
  additionalPrinterColumns?: Array<{ name: string; type: string; jsonPath: string; description?: string; priority?: number }>;
}

export interface Crd {
  metadata: { name: string };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { kind: string; listKind?: string; plural: string; singular?: string; shortNames?: string[]; categories?: string[] };
    versions: CrdVersion[];
  };
}

/** Walk an OpenAPI v3 schema along field names (array items are stepped through). */
export function schemaAt(root: Schema | undefined, fieldPath: readonly string[]): Schema | undefined {
  let s: Schema | undefined = root;
  for (const name of fieldPath) {
    if (!s) return undefined;
    if (s.type === 'array') s = s.items as Schema | undefined;
    if (!s) return undefined;
    const props = s.properties as Record<string, Schema> | undefined;
    const additional = s.additionalProperties;
    s = props?.[name] ?? (typeof additional === 'object' && additional !== null ? (additional as Schema) : undefined);
  }
  return s;
}

function schemaListType(root: Schema | undefined): ListTypeResolver {
  return (fieldPath) => {
    const s = schemaAt(root, fieldPath);
    const t = s?.['x-kubernetes-list-type'];
    if (t === 'set') return { type: 'set' };
    if (t === 'map') {
      const keys = (s?.['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [];
      if (keys.length > 0) return { type: 'map', keys } satisfies ListType;
    }
    return { type: 'atomic' };
  };
}

export function crdResourceDefs(crd: Crd): ResourceDef[] {
  const { spec } = crd;
  const storage = spec.versions.find((v) => v.storage) ?? spec.versions[0];
  if (!storage) return [];
  return spec.versions
    .filter((v) => v.served !== false)
    .map((v) => {
      const subresources: string[] = [];
      if (v.subresources?.status) subresources.push('status');
      if (v.subresources?.scale) subresources.push('scale');
      const listType = schemaListType(v.schema?.openAPIV3Schema);
      return {
        group: spec.group,
        version: v.name,
        storageVersion: storage.name,
        kind: spec.names.kind,
        listKind: spec.names.listKind ?? `${spec.names.kind}List`,
        plural: spec.names.plural,
        singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        shortNames: spec.names.shortNames ?? [],
        categories: spec.names.categories ?? [],
        verbs: ALL_VERBS,
        subresources,
        etcdPath: `${spec.group}/${spec.names.plural}`,
        createOnUpdate: false,
        virtual: false,
        strategicListType: listType,
        listType,
        printerColumns: v.additionalPrinterColumns,
        crdName: crd.metadata.name,
        ...(v.schema?.openAPIV3Schema ? { schema: v.schema.openAPIV3Schema } : {}),
      } satisfies ResourceDef;
    });
}

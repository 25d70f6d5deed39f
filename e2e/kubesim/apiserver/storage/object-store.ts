// Objects in etcd under <prefix>/<etcdPath>/[<namespace>/]<name>, JSON-encoded
// (the real server writes protobuf; clients never see the difference), then through the
// encryption providers of --encryption-provider-config (storage/encryption.ts). The
// resourceVersion of an object is its etcd mod revision and is not stored.
import { EtcdClient, EtcdRequestError, EtcdUnavailableError, type KeyValue } from '../etcd/etcd-client.js';
import { errors } from '../http/status.js';
import { groupVersion, type ResourceDef } from '../registry/resource-def.js';
import { IDENTITY_STORAGE, type StorageTransformer } from './encryption.js';

export type KubeObject = Record<string, any> & {
  metadata: Record<string, any>;
};

export interface StoredObject {
  object: KubeObject;
  modRevision: number;
  /** Read with a provider that no longer writes: an update stores it again even when unchanged. */
  stale?: boolean;
}

export type WriteResult = { ok: true; object: KubeObject } | { ok: false; current?: StoredObject };

/** How the encryption configuration names a resource: `secrets`, `deployments.apps`. */
export function resourceName(def: ResourceDef): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}

export class ObjectStore {
  constructor(
    readonly etcd: EtcdClient,
    readonly prefix = '/registry',
    readonly transformer: StorageTransformer = IDENTITY_STORAGE,
  ) {}

  keyPrefix(def: ResourceDef, namespace?: string): string {
    const base = `${this.prefix}/${def.etcdPath}/`;
    return def.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  key(def: ResourceDef, namespace: string | undefined, name: string): string {
    return `${this.keyPrefix(def, def.namespaced ? namespace : undefined)}${name}`;
  }

  decode(def: ResourceDef, kv: KeyValue): KubeObject {
    return this.read(def, kv).object;
  }

  /** The object and whether it was read with a provider that no longer writes. */
  private read(def: ResourceDef, kv: KeyValue): { object: KubeObject; stale: boolean } {
    let plain: { data: Buffer; stale: boolean };
    try {
      plain = this.transformer.fromStorage(resourceName(def), kv.valueBytes, kv.key);
    } catch (err) {
      throw errors.internal((err as Error).message);
    }
    const obj = JSON.parse(plain.data.toString('utf8')) as KubeObject;
    obj.apiVersion = groupVersion(def);
    obj.kind = def.kind;
    obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(kv.modRevision) };
    return { object: obj, stale: plain.stale };
  }

  private encode(def: ResourceDef, obj: KubeObject, key: string): Buffer {
    const copy: KubeObject = { ...obj, apiVersion: def.group ? `${def.group}/${def.storageVersion}` : def.storageVersion };
    copy.metadata = { ...obj.metadata };
    delete copy.metadata.resourceVersion;
    return this.transformer.toStorage(resourceName(def), Buffer.from(JSON.stringify(copy), 'utf8'), key);
  }

  async get(def: ResourceDef, namespace: string | undefined, name: string): Promise<StoredObject | undefined> {
    const { kv } = await guard(() => this.etcd.get(this.key(def, namespace, name)));
    if (!kv) return undefined;
    const { object, stale } = this.read(def, kv);
    return { object, modRevision: kv.modRevision, ...(stale ? { stale } : {}) };
  }

  /** Every object of a resource (in one namespace, or all). */
  async list(def: ResourceDef, namespace?: string): Promise<{ items: KubeObject[]; revision: number }> {
    const r = await guard(() => this.etcd.list(this.keyPrefix(def, namespace)));
    const items: KubeObject[] = [];
    for (const kv of r.kvs) {
      // Keys of deeper layouts (e.g. services/specs vs services/endpoints) never share a prefix,
      // but a cluster-wide list must skip keys that are not <ns>/<name> for namespaced kinds.
      const rest = kv.key.slice(this.keyPrefix(def, namespace).length);
      const depth = rest.split('/').length;
      if (depth !== (def.namespaced && !namespace ? 2 : 1)) continue;
      items.push(this.decode(def, kv));
    }
    return { items, revision: r.revision };
  }

  async create(def: ResourceDef, obj: KubeObject): Promise<WriteResult> {
    const key = this.key(def, obj.metadata.namespace, obj.metadata.name);
    const r = await guard(() => this.etcd.create(key, this.encode(def, obj, key)));
    if (!r.succeeded) return { ok: false, current: r.current ? { object: this.decode(def, r.current), modRevision: r.current.modRevision } : undefined };
    return { ok: true, object: withRevision(def, obj, r.revision) };
  }

  async update(def: ResourceDef, obj: KubeObject, expectedModRevision: number): Promise<WriteResult> {
    const key = this.key(def, obj.metadata.namespace, obj.metadata.name);
    const r = await guard(() => this.etcd.update(key, this.encode(def, obj, key), expectedModRevision));
    if (!r.succeeded) return { ok: false, current: r.current ? { object: this.decode(def, r.current), modRevision: r.current.modRevision } : undefined };
    return { ok: true, object: withRevision(def, obj, r.revision) };
  }

  async delete(def: ResourceDef, namespace: string | undefined, name: string, expectedModRevision: number): Promise<boolean> {
    const r = await guard(() => this.etcd.delete(this.key(def, namespace, name), expectedModRevision));
    return r.succeeded;
  }
}

function withRevision(def: ResourceDef, obj: KubeObject, revision: number): KubeObject {
  return { ...obj, apiVersion: groupVersion(def), kind: def.kind, metadata: { ...obj.metadata, resourceVersion: String(revision) } };
}

/** Map etcd failures to the Status errors the real apiserver returns. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof EtcdUnavailableError) throw errors.unavailable(err.message);
    if (err instanceof EtcdRequestError) throw errors.internal(err.message);
    throw err;
  }
}

// Objects in etcd under <prefix>/<etcdPath>/[<namespace>/]<name>, JSON-encoded
// (the real server writes protobuf; clients never see the difference). The
// resourceVersion of an object is its etcd mod revision and is not stored.
import { EtcdClient, EtcdRequestError, EtcdUnavailableError, type KeyValue } from '../etcd/etcd-client.js';
import { errors } from '../http/status.js';
import { groupVersion, type ResourceDef } from '../registry/resource-def.js';

export type KubeObject = Record<string, any> & {
  metadata: Record<string, any>;
};

export interface StoredObject {
  object: KubeObject;
  modRevision: number;
}

export type WriteResult = { ok: true; object: KubeObject } | { ok: false; current?: StoredObject };

export class ObjectStore {
  constructor(
    readonly etcd: EtcdClient,
    readonly prefix = '/registry',
  ) {}

  keyPrefix(def: ResourceDef, namespace?: string): string {
    const base = `${this.prefix}/${def.etcdPath}/`;
    return def.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  key(def: ResourceDef, namespace: string | undefined, name: string): string {
    return `${this.keyPrefix(def, def.namespaced ? namespace : undefined)}${name}`;
  }

  decode(def: ResourceDef, kv: KeyValue): KubeObject {
    const obj = JSON.parse(kv.value) as KubeObject;
    obj.apiVersion = groupVersion(def);
    obj.kind = def.kind;
    obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(kv.modRevision) };
    return obj;
  }

  private encode(def: ResourceDef, obj: KubeObject): string {
    const copy: KubeObject = { ...obj, apiVersion: def.group ? `${def.group}/${def.storageVersion}` : def.storageVersion };
    copy.metadata = { ...obj.metadata };
    delete copy.metadata.resourceVersion;
    return JSON.stringify(copy);
  }

  async get(def: ResourceDef, namespace: string | undefined, name: string): Promise<StoredObject | undefined> {
    const { kv } = await guard(() => this.etcd.get(this.key(def, namespace, name)));
    return kv ? { object: this.decode(def, kv), modRevision: kv.modRevision } : undefined;
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
    const r = await guard(() => this.etcd.create(key, this.encode(def, obj)));
    if (!r.succeeded) return { ok: false, current: r.current ? { object: this.decode(def, r.current), modRevision: r.current.modRevision } : undefined };
    return { ok: true, object: withRevision(def, obj, r.revision) };
  }

  async update(def: ResourceDef, obj: KubeObject, expectedModRevision: number): Promise<WriteResult> {
    const key = this.key(def, obj.metadata.namespace, obj.metadata.name);
    const r = await guard(() => this.etcd.update(key, this.encode(def, obj), expectedModRevision));
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

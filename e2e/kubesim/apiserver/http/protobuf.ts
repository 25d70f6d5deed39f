// Decoding of Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf)
// for the few kinds kubectl >= 1.32 sends that way through its typed clients:
// CSR approval, evictions, reviews, token requests, and simple core objects.
// Responses are always JSON (clients accept it). Other kinds get 415.
import { errors } from './status.js';

type Scalar = 'string' | 'bytes' | 'int' | 'bool' | 'time' | 'stringMap' | 'bytesMap';
interface Field {
  name: string;
  type: Scalar | Schema;
  repeated?: boolean;
}
type Schema = Record<number, Field>;

const f = (name: string, type: Scalar | Schema, repeated = false): Field => ({ name, type, repeated });

const OBJECT_META: Schema = {
  1: f('name', 'string'),
  2: f('generateName', 'string'),
  3: f('namespace', 'string'),
  5: f('uid', 'string'),
  6: f('resourceVersion', 'string'),
  7: f('generation', 'int'),
  11: f('labels', 'stringMap'),
  12: f('annotations', 'stringMap'),
  14: f('finalizers', 'string', true),
};
const PRECONDITIONS: Schema = { 1: f('uid', 'string'), 2: f('resourceVersion', 'string') };
const DELETE_OPTIONS: Schema = {
  1: f('gracePeriodSeconds', 'int'),
  2: f('preconditions', PRECONDITIONS),
  3: f('orphanDependents', 'bool'),
  4: f('propagationPolicy', 'string'),
  5: f('dryRun', 'string', true),
};
const CSR_CONDITION: Schema = {
  1: f('type', 'string'),
  2: f('reason', 'string'),
  3: f('message', 'string'),
  4: f('lastUpdateTime', 'time'),
  5: f('lastTransitionTime', 'time'),
  6: f('status', 'string'),
};
const RESOURCE_ATTRIBUTES: Schema = {
  1: f('namespace', 'string'),
  2: f('verb', 'string'),
  3: f('group', 'string'),
  4: f('version', 'string'),
  5: f('resource', 'string'),
  6: f('subresource', 'string'),
  7: f('name', 'string'),
};
const NON_RESOURCE_ATTRIBUTES: Schema = { 1: f('path', 'string'), 2: f('verb', 'string') };

const KINDS: Record<string, Schema> = {
  CertificateSigningRequest: {
    1: f('metadata', OBJECT_META),
    2: f('spec', { 1: f('request', 'bytes'), 2: f('username', 'string'), 3: f('uid', 'string'), 4: f('groups', 'string', true), 5: f('usages', 'string', true), 7: f('signerName', 'string'), 8: f('expirationSeconds', 'int') }),
    3: f('status', { 1: f('conditions', CSR_CONDITION, true), 2: f('certificate', 'bytes') }),
  },
  Eviction: { 1: f('metadata', OBJECT_META), 2: f('deleteOptions', DELETE_OPTIONS) },
  DeleteOptions: DELETE_OPTIONS,
  SelfSubjectReview: { 1: f('metadata', OBJECT_META) },
  SelfSubjectAccessReview: { 1: f('metadata', OBJECT_META), 2: f('spec', { 1: f('resourceAttributes', RESOURCE_ATTRIBUTES), 2: f('nonResourceAttributes', NON_RESOURCE_ATTRIBUTES) }) },
  SelfSubjectRulesReview: { 1: f('metadata', OBJECT_META), 2: f('spec', { 1: f('namespace', 'string') }) },
  TokenRequest: { 1: f('metadata', OBJECT_META), 2: f('spec', { 1: f('audiences', 'string', true), 4: f('expirationSeconds', 'int') }) },
  Namespace: { 1: f('metadata', OBJECT_META), 2: f('spec', { 1: f('finalizers', 'string', true) }) },
  ConfigMap: { 1: f('metadata', OBJECT_META), 2: f('data', 'stringMap'), 3: f('binaryData', 'bytesMap'), 4: f('immutable', 'bool') },
  Secret: { 1: f('metadata', OBJECT_META), 2: f('data', 'bytesMap'), 3: f('type', 'string'), 4: f('stringData', 'stringMap'), 5: f('immutable', 'bool') },
};

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw errors.badRequest('truncated protobuf varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw errors.badRequest(`unsupported protobuf wire type ${wireType}`);
  }
}

function decodeMessage(buf: Buffer, schema: Schema): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!r.done) {
    const tag = Number(r.varint());
    const field = schema[tag >>> 3];
    const wire = tag & 7;
    if (!field) {
      r.skip(wire);
      continue;
    }
    let value: unknown;
    if (field.type === 'int') value = Number(BigInt.asIntN(64, r.varint()));
    else if (field.type === 'bool') value = r.varint() !== 0n;
    else if (field.type === 'string') value = r.bytes().toString('utf8');
    else if (field.type === 'bytes') value = r.bytes().toString('base64');
    else if (field.type === 'time') {
      const t = decodeMessage(r.bytes(), { 1: f('seconds', 'int'), 2: f('nanos', 'int') });
      const seconds = Number(t.seconds ?? 0);
      // Go's zero time (JSON null) is left out, as the JSON form would.
      if (seconds <= 0) continue;
      value = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    } else if (field.type === 'stringMap' || field.type === 'bytesMap') {
      const entry = decodeMessage(r.bytes(), { 1: f('k', 'string'), 2: f('v', field.type === 'stringMap' ? 'string' : 'bytes') });
      const map = (out[field.name] ??= {}) as Record<string, unknown>;
      map[String(entry.k ?? '')] = entry.v ?? '';
      continue;
    } else value = decodeMessage(r.bytes(), field.type);
    if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
    else out[field.name] = value;
  }
  return out;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decode a k8s protobuf envelope into the JSON form of the object. */
export function decodeKubeProtobuf(raw: Buffer): Record<string, unknown> {
  if (raw.length < 4 || !raw.subarray(0, 4).equals(MAGIC)) throw errors.badRequest('protobuf body without the k8s envelope');
  const unknown = decodeMessage(raw.subarray(4), { 1: f('typeMeta', { 1: f('apiVersion', 'string'), 2: f('kind', 'string') }), 2: f('raw', 'bytes') });
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = typeMeta.kind ? KINDS[typeMeta.kind] : undefined;
  if (!schema) throw errors.unsupportedMediaType(`application/vnd.kubernetes.protobuf (kind ${typeMeta.kind ?? 'unknown'} is not decoded by the simulator)`);
  const obj = decodeMessage(Buffer.from(String(unknown.raw ?? ''), 'base64'), schema);
  const result: Record<string, unknown> = {};
  if (typeMeta.apiVersion) result.apiVersion = typeMeta.apiVersion;
  if (typeMeta.kind) result.kind = typeMeta.kind;
  return { ...result, ...obj };
}

// /openapi/v2 in the protobuf form (gnostic openapi.v2.Document) that kubectl <= 1.28
// downloads before create/apply. It holds no schemas: only the operations with their
// x-kubernetes-group-version-kind and the fieldValidation query parameter, from which
// kubectl learns to leave validation to the server. Field numbers follow gnostic's
// OpenAPIv2.proto.
import type { ResourceDef } from '../registry/resource-def.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';

/** What clients ask for; the response type replaces '@' (not valid in a media type) by '.'. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
export const OPENAPI_V2_PROTOBUF_RESPONSE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** A length-delimited field (strings and sub-messages). */
function field(num: number, value: Buffer | string): Buffer {
  const payload = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([varint((num << 3) | 2), varint(payload.length), payload]);
}

function boolField(num: number, value: boolean): Buffer {
  return Buffer.concat([varint(num << 3), varint(value ? 1 : 0)]);
}

const msg = (...parts: Buffer[]): Buffer => Buffer.concat(parts);

/** ParametersItem{parameter: Parameter{non_body_parameter: NonBodyParameter{query_parameter_sub_schema}}} */
function queryParam(name: string): Buffer {
  const sub = msg(field(2, 'query'), field(4, name), field(6, 'string'), boolField(20, true));
  return msg(field(1, msg(field(2, msg(field(3, sub))))));
}

/** NamedAny{name, value: Any{yaml}} */
function vendorExtension(name: string, yaml: string): Buffer {
  return msg(field(1, name), field(2, msg(field(2, yaml))));
}

function operation(d: ResourceDef, action: string, params: string[]): Buffer {
  const gvk = `group: ${JSON.stringify(d.group)}\nkind: ${d.kind}\nversion: ${d.version}\n`;
  return msg(
    field(5, `${action}${d.kind}`),
    ...params.map((p) => field(8, queryParam(p))),
    field(13, vendorExtension('x-kubernetes-action', `${action}\n`)),
    field(13, vendorExtension('x-kubernetes-group-version-kind', gvk)),
  );
}

function namedPathItem(path: string, item: Buffer): Buffer {
  return msg(field(1, path), field(2, item));
}

export function openApiV2Protobuf(registry: ResourceRegistry): Buffer {
  const paths: Buffer[] = [];
  for (const d of registry.all()) {
    if (d.virtual) continue;
    const prefix = d.group ? `/apis/${d.group}/${d.version}` : `/api/${d.version}`;
    const base = d.namespaced ? `${prefix}/namespaces/{namespace}/${d.plural}` : `${prefix}/${d.plural}`;
    const common = ['dryRun', 'fieldManager', 'fieldValidation'];
    // PathItem: get=2 put=3 post=4 delete=5 patch=8
    paths.push(field(2, namedPathItem(base, msg(field(2, operation(d, 'list', [])), field(4, operation(d, 'post', common))))));
    paths.push(
      field(2, namedPathItem(`${base}/{name}`, msg(field(2, operation(d, 'get', [])), field(3, operation(d, 'put', common)), field(8, operation(d, 'patch', [...common, 'force'])), field(5, operation(d, 'delete', []))))),
    );
  }
  // Document: swagger=1 info=2 paths=8
  return msg(field(1, '2.0'), field(2, msg(field(1, 'Kubernetes'), field(2, 'unversioned'))), field(8, msg(...paths)));
}

// Reading kubeadm --config files: a multi-document YAML stream with kubeadm,
// kubelet and kube-proxy kinds, decoded strictly (unknown, duplicate and
// mistyped fields are errors, worded like kubeadm's strict decoder).
import { parseAllDocuments } from 'yaml';
import {
  CLUSTER_CONFIGURATION,
  GO_TYPE,
  INIT_CONFIGURATION,
  JOIN_CONFIGURATION,
  KUBE_PROXY_CONFIGURATION,
  KUBELET_CONFIGURATION,
  RESET_CONFIGURATION,
  UPGRADE_CONFIGURATION,
  type Schema,
} from './schema.js';

export type Doc = Record<string, unknown>;

export interface ConfigDocuments {
  InitConfiguration?: Doc;
  ClusterConfiguration?: Doc;
  JoinConfiguration?: Doc;
  ResetConfiguration?: Doc;
  UpgradeConfiguration?: Doc;
  KubeletConfiguration?: Doc;
  KubeProxyConfiguration?: Doc;
  /** kubeadm's "[config] WARNING" lines for ignored documents. */
  warnings: string[];
}

const KNOWN: Record<string, Record<string, Schema>> = {
  'kubeadm.k8s.io/v1beta4': {
    InitConfiguration: INIT_CONFIGURATION,
    ClusterConfiguration: CLUSTER_CONFIGURATION,
    JoinConfiguration: JOIN_CONFIGURATION,
    ResetConfiguration: RESET_CONFIGURATION,
    UpgradeConfiguration: UPGRADE_CONFIGURATION,
  },
  'kubelet.config.k8s.io/v1beta1': { KubeletConfiguration: KUBELET_CONFIGURATION },
  'kubeproxy.config.k8s.io/v1alpha1': { KubeProxyConfiguration: KUBE_PROXY_CONFIGURATION },
};

const OLD_KUBEADM_APIS: Record<string, string> = {
  'kubeadm.k8s.io/v1alpha1': 'v1.11',
  'kubeadm.k8s.io/v1alpha2': 'v1.12',
  'kubeadm.k8s.io/v1alpha3': 'v1.13',
  'kubeadm.k8s.io/v1beta1': 'v1.14',
  'kubeadm.k8s.io/v1beta2': 'v1.21',
  'kubeadm.k8s.io/v1beta3': 'v1.30',
};

export class ConfigError extends Error {}

function gvkString(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return `schema.GroupVersionKind{Group:"${group}", Version:"${version}", Kind:"${kind}"}`;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** Collect strict-decoding problems of value against schema. */
export function checkSchema(value: unknown, schema: Schema, path: string, structName: string, out: { unknown: string[]; typeErrors: string[] }): void {
  if (value === null || value === undefined || schema === 'any') return;
  if (typeof schema === 'string') {
    const ok =
      (schema === 'string' && typeof value === 'string') ||
      (schema === 'bool' && typeof value === 'boolean') ||
      (schema === 'int' && typeof value === 'number' && Number.isInteger(value)) ||
      (schema === 'number' && typeof value === 'number');
    if (!ok) out.typeErrors.push(`json: cannot unmarshal ${typeName(value)} into Go struct field ${structName}.${path} of type ${GO_TYPE[schema]}`);
    return;
  }
  if ('list' in schema) {
    if (!Array.isArray(value)) {
      out.typeErrors.push(`json: cannot unmarshal ${typeName(value)} into Go struct field ${structName}.${path} of type []${typeof schema.list === 'string' ? GO_TYPE[schema.list] ?? 'interface {}' : 'struct'}`);
      return;
    }
    value.forEach((item, i) => checkSchema(item, schema.list, `${path}[${i}]`, structName, out));
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    out.typeErrors.push(`json: cannot unmarshal ${typeName(value)} into Go struct field ${structName}.${path} of type ${'map' in schema ? 'map[string]string' : 'struct'}`);
    return;
  }
  for (const [key, child] of Object.entries(value as Doc)) {
    const childPath = path ? `${path}.${key}` : key;
    if ('map' in schema) {
      checkSchema(child, schema.map, childPath, structName, out);
    } else if (!(key in schema.fields)) {
      out.unknown.push(childPath);
    } else {
      checkSchema(child, schema.fields[key]!, childPath, structName, out);
    }
  }
}

/** Decode and strictly check a kubeadm --config file. */
export function decodeConfig(text: string, source: string): ConfigDocuments {
  const result: ConfigDocuments = { warnings: [] };
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  for (const doc of docs) {
    const dup = doc.errors.find((e) => e.code === 'DUPLICATE_KEY');
    if (dup) throw new ConfigError(`error converting YAML to JSON: yaml: unmarshal errors:\n  ${dup.message.split('\n')[0]}`);
    if (doc.errors.length) throw new ConfigError(`error converting YAML to JSON: yaml: ${doc.errors[0]!.message.split('\n')[0]}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError(`couldn't interpret YAML document in ${source}: expected an object`);
    }
    const obj = value as Doc;
    const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
    const kind = typeof obj.kind === 'string' ? obj.kind : '';
    if (!apiVersion || !kind) {
      throw new ConfigError(`invalid configuration for GroupVersionKind ${apiVersion ? `${apiVersion}, ` : '/, '}Kind=${kind}: kind and apiVersion is mandatory information that must be specified`);
    }
    if (OLD_KUBEADM_APIS[apiVersion]) {
      throw new ConfigError(
        `your configuration file uses an old API spec: "${apiVersion}" (kind: "${kind}"). Please use kubeadm ${OLD_KUBEADM_APIS[apiVersion]} instead and run 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.`,
      );
    }
    const schema = KNOWN[apiVersion]?.[kind];
    if (!schema) {
      if (apiVersion.startsWith('kubeadm.k8s.io/')) {
        throw new ConfigError(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31"`);
      }
      result.warnings.push(`[config] WARNING: Ignored configuration document with GroupVersionKind ${apiVersion}, Kind=${kind}`);
      continue;
    }
    const problems = { unknown: [] as string[], typeErrors: [] as string[] };
    checkSchema(obj, schema, '', kind, problems);
    if (problems.typeErrors.length) {
      throw new ConfigError(`error unmarshaling configuration ${gvkString(apiVersion, kind)}: ${problems.typeErrors[0]}`);
    }
    if (problems.unknown.length) {
      throw new ConfigError(`error unmarshaling configuration ${gvkString(apiVersion, kind)}: strict decoding error: ${problems.unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
    }
    if (result[kind as keyof ConfigDocuments]) {
      throw new ConfigError(`found multiple ${kind} documents in ${source}`);
    }
    (result as unknown as Record<string, Doc>)[kind] = obj;
  }
  return result;
}

// Files the manifest points at that end up on the control planes, as KubeOne copies them there:
// the audit policy (features.staticAuditLog.config.policyFilePath) and the admission plugin
// configurations (features.podNodeSelector / eventRateLimit .config.configFilePath). They are
// read once at load, relative to the manifest, and checked the way the kube-apiserver checks
// them at start-up: a file it would refuse (and so not start) is refused here, with its field.
import { isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Issue } from './errors.js';
import { readTextFile } from './read-input.js';
import type { ControlPlaneInputs, KubeOneCluster } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function yamlOf(text: string): { value?: unknown; problem?: string } {
  try {
    return { value: parse(text, { maxAliasCount: 0, uniqueKeys: true }) };
  } catch (e) {
    return { problem: `not valid YAML: ${(e as Error).message.split('\n')[0]}` };
  }
}

export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
const AUDIT_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];
const AUDIT_RULE_FIELDS = ['level', 'users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields'];

/** audit.k8s.io/v1 Policy, as the apiserver's policy reader validates it. */
export function auditPolicyProblems(text: string): string[] {
  const { value, problem } = yamlOf(text);
  if (problem) return [problem];
  if (!isObj(value)) return ['must be an audit.k8s.io/v1 Policy'];
  const out: string[] = [];
  if (value.apiVersion !== 'audit.k8s.io/v1') out.push('apiVersion: must be audit.k8s.io/v1');
  if (value.kind !== 'Policy') out.push('kind: must be Policy');
  const rules = value.rules;
  if (!Array.isArray(rules) || rules.length === 0) out.push('rules: at least one rule is required (the apiserver refuses an empty policy)');
  const stages = (v: unknown, at: string) => {
    if (v === undefined) return;
    if (!Array.isArray(v) || v.some((s) => !AUDIT_STAGES.includes(s as string))) out.push(`${at}: stages are ${AUDIT_STAGES.join(', ')}`);
  };
  stages(value.omitStages, 'omitStages');
  (Array.isArray(rules) ? rules : []).forEach((r, i) => {
    const at = `rules[${i}]`;
    if (!isObj(r)) return void out.push(`${at}: must be an object`);
    for (const k of Object.keys(r)) if (!AUDIT_RULE_FIELDS.includes(k)) out.push(`${at}: unknown field ${JSON.stringify(k)}`);
    if (!AUDIT_LEVELS.includes(r.level as (typeof AUDIT_LEVELS)[number])) out.push(`${at}.level: must be one of ${AUDIT_LEVELS.join(', ')}`);
    stages(r.omitStages, `${at}.omitStages`);
    for (const k of ['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs']) {
      const v = r[k];
      if (v !== undefined && (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))) out.push(`${at}.${k}: must be a list of strings`);
    }
    if (r.resources !== undefined && (!Array.isArray(r.resources) || r.resources.some((g) => !isObj(g)))) out.push(`${at}.resources: must be a list of group resources`);
    if (Array.isArray(r.nonResourceURLs) && r.resources !== undefined) out.push(`${at}: resources and nonResourceURLs are mutually exclusive`);
  });
  return out;
}

/** `key=value,key2=value2`: a node selector the PodNodeSelector plugin can turn into labels. */
export function isLabelSelectorMap(value: string): boolean {
  if (value === '') return true;
  return value.split(',').every((pair) => /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?=([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(pair.trim()));
}

/** The PodNodeSelector plugin's file: `podNodeSelectorPluginConfig: {clusterDefaultNodeSelector: ..., <namespace>: ...}`. */
export function podNodeSelectorProblems(text: string): string[] {
  const { value, problem } = yamlOf(text);
  if (problem) return [problem];
  if (!isObj(value) || !isObj(value.podNodeSelectorPluginConfig)) return ['must hold podNodeSelectorPluginConfig, a map of namespace (or clusterDefaultNodeSelector) to node selector'];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value.podNodeSelectorPluginConfig)) {
    if (typeof v !== 'string' || !isLabelSelectorMap(v)) out.push(`podNodeSelectorPluginConfig.${k}: ${JSON.stringify(v)} is not a node selector (key=value,...)`);
  }
  return out;
}

const ERL_TYPES = ['Server', 'Namespace', 'User', 'SourceAndObject'];

/** eventratelimit.admission.k8s.io/v1alpha1 Configuration, as the plugin validates it. */
export function eventRateLimitProblems(text: string): string[] {
  const { value, problem } = yamlOf(text);
  if (problem) return [problem];
  if (!isObj(value)) return ['must be an eventratelimit.admission.k8s.io/v1alpha1 Configuration'];
  const out: string[] = [];
  if (value.apiVersion !== 'eventratelimit.admission.k8s.io/v1alpha1') out.push('apiVersion: must be eventratelimit.admission.k8s.io/v1alpha1');
  if (value.kind !== 'Configuration') out.push('kind: must be Configuration');
  const limits = value.limits;
  if (!Array.isArray(limits) || limits.length === 0) out.push('limits: at least one limit is required');
  const seen = new Set<string>();
  (Array.isArray(limits) ? limits : []).forEach((l, i) => {
    const at = `limits[${i}]`;
    if (!isObj(l)) return void out.push(`${at}: must be an object`);
    if (!ERL_TYPES.includes(l.type as string)) out.push(`${at}.type: must be one of ${ERL_TYPES.join(', ')}`);
    else if (seen.has(l.type as string)) out.push(`${at}.type: ${String(l.type)} is limited twice`);
    seen.add(l.type as string);
    for (const k of ['qps', 'burst'] as const) if (!Number.isInteger(l[k]) || (l[k] as number) <= 0) out.push(`${at}.${k}: must be a positive integer`);
    if (l.cacheSize !== undefined && (!Number.isInteger(l.cacheSize) || (l.cacheSize as number) <= 0)) out.push(`${at}.cacheSize: must be a positive integer`);
    if (l.cacheSize !== undefined && (l.type === 'Server')) out.push(`${at}.cacheSize: not allowed for type Server`);
  });
  return out;
}

const INPUTS: { field: string; key: keyof ControlPlaneInputs; pathOf: (c: KubeOneCluster) => string | undefined; check: (text: string) => string[]; what: string }[] = [
  {
    field: 'features.staticAuditLog.config.policyFilePath',
    key: 'auditPolicy',
    pathOf: (c) => (c.features?.staticAuditLog?.enable ? c.features.staticAuditLog.config?.policyFilePath : undefined),
    check: auditPolicyProblems,
    what: 'audit policy file',
  },
  {
    field: 'features.podNodeSelector.config.configFilePath',
    key: 'podNodeSelector',
    pathOf: (c) => (c.features?.podNodeSelector?.enable ? c.features.podNodeSelector.config?.configFilePath : undefined),
    check: podNodeSelectorProblems,
    what: 'PodNodeSelector configuration file',
  },
  {
    field: 'features.eventRateLimit.config.configFilePath',
    key: 'eventRateLimit',
    pathOf: (c) => (c.features?.eventRateLimit?.enable ? c.features.eventRateLimit.config?.configFilePath : undefined),
    check: eventRateLimitProblems,
    what: 'EventRateLimit configuration file',
  },
];

/** Reads (relative to `baseDir`) and checks the files of the enabled features. */
export async function readControlPlaneInputs(c: KubeOneCluster, baseDir: string): Promise<{ inputs: ControlPlaneInputs; issues: Issue[] }> {
  const inputs: ControlPlaneInputs = {};
  const issues: Issue[] = [];
  for (const input of INPUTS) {
    const p = input.pathOf(c);
    if (!p) continue;
    const file = isAbsolute(p) ? p : resolve(baseDir, p);
    let text: string;
    try {
      text = await readTextFile(file, input.what);
    } catch (e) {
      issues.push({ path: input.field, message: (e as Error).message.split('\n')[0]! });
      continue;
    }
    const problems = input.check(text);
    if (problems.length > 0) issues.push(...problems.map((m) => ({ path: input.field, message: `${file}: ${m}` })));
    else inputs[input.key] = text;
  }
  return { inputs, issues };
}

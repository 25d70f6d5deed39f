// labelSelector and fieldSelector query parameters, and metav1.LabelSelector objects.
import { errors } from '../http/status.js';

type Labels = Record<string, string>;
type Requirement =
  | { op: 'exists' | 'notexists'; key: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'gt' | 'lt'; key: string; value: number };

export type LabelMatcher = (labels: Labels | undefined) => boolean;

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseRequirement(raw: string): Requirement {
  let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(raw);
  if (m) return { op: m[2] as 'in' | 'notin', key: m[1]!, values: m[3]!.split(',').map((v) => v.trim()).filter(Boolean) };
  m = /^!\s*(\S+)$/.exec(raw);
  if (m) return { op: 'notexists', key: m[1]! };
  m = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(\S*)$/.exec(raw);
  if (m) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    if (op === '!=') return { op: 'notin', key, values: [value] };
    if (op === '>' || op === '<') {
      const n = Number(value);
      if (!Number.isInteger(n)) throw errors.badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
      return { op: op === '>' ? 'gt' : 'lt', key, value: n };
    }
    return { op: 'in', key, values: [value] };
  }
  if (/^[A-Za-z0-9._\-/]+$/.test(raw)) return { op: 'exists', key: raw };
  throw errors.badRequest(`unable to parse requirement: invalid label selector "${raw}"`);
}

function matches(req: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const v = labels[req.key];
  switch (req.op) {
    case 'exists':
      return has;
    case 'notexists':
      return !has;
    case 'in':
      return has && req.values.includes(v!);
    case 'notin':
      return !has || !req.values.includes(v!);
    case 'gt':
      return has && Number(v) > req.value;
    case 'lt':
      return has && Number(v) < req.value;
  }
}

export function parseLabelSelector(selector: string | null | undefined): LabelMatcher {
  if (!selector || !selector.trim()) return () => true;
  const reqs = splitTopLevel(selector).map(parseRequirement);
  return (labels) => reqs.every((r) => matches(r, labels ?? {}));
}

/** metav1.LabelSelector (matchLabels/matchExpressions), e.g. from a PDB or Deployment. */
export function labelSelectorObjectMatcher(sel: { matchLabels?: Labels; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined): LabelMatcher {
  if (!sel) return () => false;
  const reqs: Requirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, value]) => ({ op: 'in', key, values: [value] }));
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') reqs.push({ op, key: e.key, values: e.values ?? [] });
    else if (op === 'exists') reqs.push({ op: 'exists', key: e.key });
    else if (op === 'doesnotexist') reqs.push({ op: 'notexists', key: e.key });
  }
  return (labels) => reqs.every((r) => matches(r, labels ?? {}));
}

export type FieldMatcher = (obj: Record<string, unknown>) => boolean;

function fieldValue(obj: Record<string, unknown>, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return path === 'spec.unschedulable' ? 'false' : '';
  return String(cur);
}

/**
 * fieldSelector: `a.b=v`, `a.b==v`, `a.b!=v` joined by commas. Any field path is
 * accepted (the real server allows a per-kind list: metadata.name, metadata.namespace,
 * spec.nodeName, status.phase, spec.unschedulable, involvedObject.*, type ...).
 */
export function parseFieldSelector(selector: string | null | undefined): FieldMatcher {
  if (!selector || !selector.trim()) return () => true;
  const reqs = selector.split(',').map((raw) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(raw);
    if (!m) throw errors.badRequest(`invalid field selector: "${raw}"`);
    return { path: m[1]!, negate: m[2] === '!=', value: m[3]! };
  });
  return (obj) => reqs.every((r) => (fieldValue(obj, r.path) === r.value) !== r.negate);
}

// The static audit log of the real kube-apiserver (--audit-policy-file, --audit-log-path):
// the policy is read and checked at start (an invalid one stops the server); every request is
// matched against its rules, first match wins (no match: level None), and the events of the
// request's stages are appended to the log as JSON lines (audit.k8s.io/v1 Event, the
// default --audit-log-format json). Request and RequestResponse add the request and response
// bodies. Not imitated: log rotation (--audit-log-maxage/-maxbackup/-maxsize are accepted),
// batching, omitManagedFields and the ResponseStarted stage of long-running requests.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { parse } from 'yaml';

export type Level = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
const LEVELS: Level[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

interface GroupResources {
  group?: string;
  resources?: string[];
  resourceNames?: string[];
}

interface Rule {
  level: Level;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: string[];
}

export interface AuditRequest {
  verb: string;
  requestURI: string;
  user: { username: string; groups: string[] };
  sourceIPs: string[];
  userAgent: string;
  /** Resource requests only. */
  objectRef?: { resource: string; subresource?: string; namespace?: string; name?: string; apiGroup?: string; apiVersion: string };
  code: number;
  requestObject?: unknown;
  responseObject?: unknown;
  received: Date;
}

export class AuditPolicyError extends Error {}

/** Loads and checks the policy as the server does at start (audit.k8s.io/v1 Policy, at least one rule). */
export function loadPolicy(file: string): { rules: Rule[]; omitStages: string[] } {
  let doc: Record<string, any>;
  try {
    doc = parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
  } catch (err) {
    throw new AuditPolicyError(`failed to read audit policy file "${file}": ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc?.kind !== 'Policy' || !['audit.k8s.io/v1', 'audit.k8s.io/v1beta1'].includes(doc?.apiVersion)) {
    throw new AuditPolicyError(`failed to decode audit policy file "${file}": no kind "${doc?.kind}" is registered for version "${doc?.apiVersion}"`);
  }
  const rules = doc.rules;
  if (!Array.isArray(rules) || rules.length === 0) throw new AuditPolicyError(`loaded illegal policy with 0 rules from file ${file}`);
  for (const [i, r] of rules.entries()) {
    if (!LEVELS.includes(r?.level)) throw new AuditPolicyError(`rules[${i}].level: Unsupported value: "${r?.level}": supported values: ${LEVELS.map((l) => `"${l}"`).join(', ')}`);
    for (const s of [...(r.omitStages ?? [])]) if (!STAGES.includes(s)) throw new AuditPolicyError(`rules[${i}].omitStages: Unsupported value: "${s}"`);
    if (r.resources && r.nonResourceURLs) throw new AuditPolicyError(`rules[${i}]: rules cannot apply to both regular resources and non-resource URLs`);
  }
  return { rules: rules as Rule[], omitStages: Array.isArray(doc.omitStages) ? doc.omitStages : [] };
}

function matchesResource(rule: Rule, req: AuditRequest): boolean {
  const ref = req.objectRef!;
  if (rule.namespaces && !rule.namespaces.includes(ref.namespace ?? '')) return false;
  if (!rule.resources) return true;
  const full = ref.subresource ? `${ref.resource}/${ref.subresource}` : ref.resource;
  return rule.resources.some((g) => {
    if ((g.group ?? '') !== (ref.apiGroup ?? '') && g.group !== '*') return false;
    const resources = g.resources ?? [];
    const hit =
      resources.length === 0 ||
      resources.some((r) => r === '*' || r === full || r === `${ref.resource}/*` || (r.startsWith('*/') && ref.subresource === r.slice(2)) || (!ref.subresource && r === ref.resource));
    if (!hit) return false;
    return !g.resourceNames?.length || (ref.name !== undefined && g.resourceNames.includes(ref.name));
  });
}

function matchesUrl(rule: Rule, uri: string): boolean {
  if (!rule.nonResourceURLs) return true;
  const p = uri.split('?')[0]!;
  return rule.nonResourceURLs.some((u) => (u.endsWith('*') ? p.startsWith(u.slice(0, -1)) : p === u));
}

export class AuditLog {
  private readonly policy: { rules: Rule[]; omitStages: string[] };

  constructor(policyFile: string, private readonly logPath: string) {
    this.policy = loadPolicy(policyFile);
    // The real server opens (and creates) the log file at start: its directory must exist.
    if (logPath !== '-') {
      try {
        fs.appendFileSync(logPath, '');
      } catch (err) {
        throw new AuditPolicyError(`open ${logPath}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
      }
    }
  }

  /** The level of the first rule that matches (None when none does) and the stages it omits. */
  levelOf(req: AuditRequest): { level: Level; omit: string[] } {
    for (const rule of this.policy.rules) {
      if (rule.users && !rule.users.includes(req.user.username)) continue;
      if (rule.userGroups && !rule.userGroups.some((g) => req.user.groups.includes(g))) continue;
      if (rule.verbs && !rule.verbs.includes(req.verb)) continue;
      if (req.objectRef) {
        if (rule.nonResourceURLs) continue;
        if (!matchesResource(rule, req)) continue;
      } else {
        if (rule.resources || rule.namespaces) continue;
        if (!matchesUrl(rule, req.requestURI)) continue;
      }
      return { level: rule.level, omit: [...this.policy.omitStages, ...(rule.omitStages ?? [])] };
    }
    return { level: 'None', omit: [] };
  }

  record(req: AuditRequest): void {
    const { level, omit } = this.levelOf(req);
    if (level === 'None') return;
    const auditID = randomUUID();
    const base = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level,
      auditID,
      requestURI: req.requestURI,
      verb: req.verb,
      user: req.user,
      sourceIPs: req.sourceIPs,
      userAgent: req.userAgent,
      ...(req.objectRef ? { objectRef: req.objectRef } : {}),
      requestReceivedTimestamp: micro(req.received),
    };
    const lines: string[] = [];
    if (!omit.includes('RequestReceived')) lines.push(JSON.stringify({ ...base, stage: 'RequestReceived', ...(level !== 'Metadata' && req.requestObject !== undefined ? { requestObject: req.requestObject } : {}), stageTimestamp: micro(req.received) }));
    if (!omit.includes('ResponseComplete')) {
      // Once the body is decoded the real server names the object of a create in objectRef
      // (LogRequestObject, from Metadata on); the RequestReceived event is written before that.
      const meta = (req.requestObject as { metadata?: { name?: unknown; namespace?: unknown } } | undefined)?.metadata;
      const objectRef = req.objectRef && !req.objectRef.name && typeof meta?.name === 'string' && meta.name ? { ...req.objectRef, name: meta.name } : req.objectRef;
      lines.push(
        JSON.stringify({
          ...base,
          ...(objectRef ? { objectRef } : {}),
          stage: 'ResponseComplete',
          ...(level !== 'Metadata' && req.requestObject !== undefined ? { requestObject: req.requestObject } : {}),
          ...(level === 'RequestResponse' && req.responseObject !== undefined ? { responseObject: req.responseObject } : {}),
          responseStatus: { metadata: {}, code: req.code },
          stageTimestamp: micro(new Date()),
        }),
      );
    }
    if (lines.length === 0) return;
    const text = `${lines.join('\n')}\n`;
    if (this.logPath === '-') process.stdout.write(text);
    else fs.appendFileSync(this.logPath, text);
  }
}

function micro(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The verb the authorizer and the audit log name a request by. */
export function verbOf(method: string, hasName: boolean, watch: boolean): string {
  if (watch) return 'watch';
  switch (method) {
    case 'GET':
    case 'HEAD':
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

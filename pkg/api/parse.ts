import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { DecodeError, decodeYamlDocument, yamlToJS } from './decode.js';
import { ConfigError, type Issue } from './errors.js';
import { joinPath, parentPaths } from './path.js';
import { checkStructure } from './schema.js';
import { API_VERSION, KIND, type KubeOneCluster } from './types.js';

export interface Position {
  line: number;
  col: number;
}

/** A decoded manifest and the source position of every field in it. */
export interface ParsedManifest {
  cluster: KubeOneCluster;
  file: string;
  positions: Map<string, Position>;
  /** Issues that do not stop decoding (enum, format, range): reported with validation. */
  issues: Issue[];
}

/** Attaches file:line:col to issues whose path (or nearest parent) appears in the YAML. */
export function locateIssues(issues: Issue[], file: string, positions: Map<string, Position>): Issue[] {
  return issues.map((issue) => {
    if (issue.line !== undefined) return issue;
    const candidates = [issue.path, ...parentPaths(issue.path)];
    for (const p of candidates) {
      const pos = positions.get(p);
      if (pos) return { ...issue, file: issue.file ?? file, line: pos.line, col: pos.col };
    }
    const top = positions.get('');
    return { ...issue, file: issue.file ?? file, ...(top && issue.path === '' ? top : {}) };
  });
}

function collectPositions(node: Node | null | undefined, path: string, lc: LineCounter, out: Map<string, Position>, complexKeys: Issue[]): void {
  if (!node) return;
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      if (!isScalar(item.key)) {
        const at = (item.key as Node | null)?.range?.[0];
        complexKeys.push({ path, message: 'map keys must be plain strings', ...(at !== undefined ? lc.linePos(at) : {}) });
        continue;
      }
      const key = String(item.key.value);
      const childPath = joinPath(path, key);
      const keyNode = item.key as Node | null;
      const at = keyNode?.range?.[0] ?? (item.value as Node | null)?.range?.[0];
      if (at !== undefined && !out.has(childPath)) out.set(childPath, lc.linePos(at));
      collectPositions(item.value as Node | null, childPath, lc, out, complexKeys);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const childPath = joinPath(path, index);
      const at = (item as Node | null)?.range?.[0];
      if (at !== undefined) out.set(childPath, lc.linePos(at));
      collectPositions(item as Node | null, childPath, lc, out, complexKeys);
    });
  }
}

/** Go's decoder treats `key: null` as "not set": drop null members so defaults apply. */
function dropNullMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNullMembers);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = dropNullMembers(v);
    return out;
  }
  return value;
}

/**
 * Decodes a manifest strictly, as KubeOne: TypeMeta first (missing, wrong kind, apiVersion
 * other than v1beta2), then every field against the JSON Schema (unknown fields, wrong
 * types); duplicate keys and YAML syntax errors are reported with line:column. Throws a
 * ConfigError listing every structural problem; value-level problems (enum, range) are
 * returned in `issues` to be reported together with validation.
 */
export function parseManifest(text: string, file: string): ParsedManifest {
  const decoding = 'configuration decoding kubeone.k8c.io/v1beta2, Kind=KubeOneCluster';
  const asConfigError = (e: unknown): never => {
    if (e instanceof DecodeError) throw new ConfigError(e.problems.map((p) => ({ path: '', file, ...p })), decoding);
    throw e;
  };
  let decoded;
  try {
    decoded = decodeYamlDocument(text, 'the manifest');
  } catch (e) {
    asConfigError(e);
  }
  const { doc, lineCounter } = decoded!;
  const positions = new Map<string, Position>();
  const complexKeys: Issue[] = [];
  collectPositions(doc.contents as Node | null, '', lineCounter, positions, complexKeys);
  if (complexKeys.length > 0) {
    throw new ConfigError(complexKeys.map((i) => ({ ...i, file })), decoding);
  }
  let js: unknown;
  try {
    js = yamlToJS(decoded!);
  } catch (e) {
    // Unresolved aliases, alias bombs: the YAML is well-formed but not a usable document.
    asConfigError(e);
  }
  const raw = dropNullMembers(js);
  const docPos = (doc.contents as Node | null)?.range ? lineCounter.linePos((doc.contents as Node).range![0]) : undefined;
  const fail = (message: string): never => {
    throw new ConfigError([{ path: '', message, file, ...(docPos ?? {}) }]);
  };
  if (raw === null || raw === undefined || (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 0)) {
    fail('apiVersion and kind must be present in the manifest');
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    fail(`the manifest must be a YAML mapping (KubeOneCluster object), found ${Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}`);
  }
  const obj = raw as Record<string, unknown>;
  if (!obj.apiVersion || !obj.kind) fail('apiVersion and kind must be present in the manifest');
  if (obj.kind !== KIND) fail(`provided object ${JSON.stringify(String(obj.kind))} is not KubeOneCluster object`);
  if (obj.apiVersion !== API_VERSION) fail(`provided apiVersion ${JSON.stringify(String(obj.apiVersion))} is not supported`);

  const { blocking, nonBlocking } = checkStructure(obj);
  if (blocking.length > 0) {
    throw new ConfigError(
      locateIssues([...blocking, ...nonBlocking], file, positions),
      'configuration decoding kubeone.k8c.io/v1beta2, Kind=KubeOneCluster',
    );
  }
  return { cluster: obj as unknown as KubeOneCluster, file, positions, issues: locateIssues(nonBlocking, file, positions) };
}

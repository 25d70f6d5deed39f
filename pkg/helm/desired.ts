// The desired Helm releases of a loaded manifest: each release's chart source, options and
// values, merged in manifest order (valuesFile and inline entries, as helm merges several
// --values files). Reading the values files is the only I/O; it happens here, at the edge,
// so the planner gets plain data.
import { isAbsolute, resolve } from 'node:path';
import { DecodeError, decodeYaml } from '../api/decode.js';
import { ConfigError, type Issue } from '../api/errors.js';
import { joinPath } from '../api/path.js';
import { readTextFile } from '../api/read-input.js';
import { collectSecrets } from '../api/redact.js';
import type { HelmRelease, LoadedCluster } from '../api/types.js';
import { registerSecrets, type SecretSet } from '../log/redact.js';
import type { ChartSource, DesiredHelmRelease } from './types.js';
import { isValuesMap, mergeValues, secretsOfValues, type Values, valuesHash, viewOfValues } from './values.js';

export function chartSourceOf(hr: HelmRelease, baseDir: string): ChartSource {
  if (hr.chartURL) return { kind: 'url', url: hr.chartURL };
  if (hr.repoURL) return { kind: 'repository', repoURL: hr.repoURL, chart: hr.chart ?? '' };
  const path = hr.chart ?? '';
  return { kind: 'local', path: isAbsolute(path) ? path : resolve(baseDir, path) };
}

/** One values entry as a map: a values file (YAML, as helm reads it) or inline values (a map, or YAML text). */
async function valuesOf(entry: NonNullable<HelmRelease['values']>[number], at: string, baseDir: string, issues: Issue[]): Promise<Values> {
  const parts: Values[] = [];
  const decode = (text: string, path: string, what: string): void => {
    let value: unknown;
    try {
      value = decodeYaml(text, what);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      issues.push({ path, message: `${what}: ${e.problems[0]?.message ?? 'invalid YAML'}` });
      return;
    }
    if (value === null || value === undefined) return;
    if (!isValuesMap(value)) issues.push({ path, message: `${what} must be a map of values` });
    else parts.push(value);
  };
  if (entry.valuesFile) {
    const file = isAbsolute(entry.valuesFile) ? entry.valuesFile : resolve(baseDir, entry.valuesFile);
    decode(await readTextFile(file, 'values file'), joinPath(at, 'valuesFile'), `values file ${file}`);
  }
  if (entry.inline !== undefined && entry.inline !== null) {
    if (typeof entry.inline === 'string') decode(entry.inline, joinPath(at, 'inline'), 'inline values');
    else if (isValuesMap(entry.inline)) parts.push(entry.inline);
    else issues.push({ path: joinPath(at, 'inline'), message: 'inline values must be a map' });
  }
  return parts.reduce(mergeValues, {});
}

/**
 * The releases the manifest asks for, in manifest order. Throws a ConfigError naming the
 * field when a values file or inline entry is not a map of values.
 */
export async function desiredHelmReleases(loaded: Pick<LoadedCluster, 'cluster' | 'baseDir' | 'credentials'>, secrets: SecretSet = collectSecrets(loaded)): Promise<DesiredHelmRelease[]> {
  const issues: Issue[] = [];
  const out: DesiredHelmRelease[] = [];
  for (const [index, hr] of (loaded.cluster.helmReleases ?? []).entries()) {
    const at = joinPath('helmReleases', index);
    let values: Values = {};
    for (const [j, entry] of (hr.values ?? []).entries()) values = mergeValues(values, await valuesOf(entry, joinPath(joinPath(at, 'values'), j), loaded.baseDir, issues));
    // Values files are not part of the manifest whose secrets the CLI registered: theirs are
    // masked from here on in every output (logs, errors, plans), and in this release's view.
    const found = secretsOfValues(values);
    registerSecrets(found);
    secrets.addAll(found);
    out.push({
      index,
      name: hr.releaseName ?? hr.chart ?? '',
      namespace: hr.namespace ?? '',
      source: chartSourceOf(hr, loaded.baseDir),
      version: hr.version ?? '',
      wait: hr.wait === true,
      timeout: hr.timeout || '5m',
      insecure: hr.insecure === true,
      ...(hr.auth?.username ? { auth: { username: hr.auth.username, password: hr.auth.password ?? '' } } : {}),
      values,
      valuesHash: valuesHash(values),
      valuesView: viewOfValues(values, secrets),
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return out;
}

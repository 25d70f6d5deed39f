// --enable-admission-plugins and --admission-control-config-file, as the real server reads them
// at start: an AdmissionConfiguration (apiserver.config.k8s.io/v1) naming each plugin's file
// (a path relative to the configuration's directory) or embedding its configuration. A file
// that cannot be read or decoded stops the server. Of the plugins, PodNodeSelector acts
// (pod-node-selector.ts); EventRateLimit's configuration is checked, its limits are not applied.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export class AdmissionConfigError extends Error {}

export interface PodNodeSelectorConfig {
  /** namespace -> node selector; `clusterDefaultNodeSelector` for namespaces without their own. */
  selectors: Record<string, string>;
}

export interface AdmissionOptions {
  plugins: string[];
  podNodeSelector?: PodNodeSelectorConfig;
}

type Obj = Record<string, any>;

function readYaml(file: string, what: string): Obj {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new AdmissionConfigError(`failed to read ${what} "${file}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
  }
  try {
    const doc = parse(text) as unknown;
    return (doc ?? {}) as Obj;
  } catch (err) {
    throw new AdmissionConfigError(`failed to decode ${what} "${file}": ${(err as Error).message.split('\n')[0]}`);
  }
}

/** `key=value,key2=value2` (labels.ConvertSelectorToLabelsMap). */
export function selectorMap(value: string, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new AdmissionConfigError(`${where}: invalid node selector ${JSON.stringify(value)}`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

function pluginConfig(configFile: string, entry: Obj): Obj {
  if (entry.configuration !== undefined) return entry.configuration as Obj;
  if (typeof entry.path !== 'string' || !entry.path) throw new AdmissionConfigError(`plugin ${entry.name}: neither path nor configuration is set`);
  const file = path.isAbsolute(entry.path) ? entry.path : path.join(path.dirname(configFile), entry.path);
  return readYaml(file, `admission plugin "${entry.name}" configuration`);
}

function checkEventRateLimit(cfg: Obj): void {
  if (cfg.kind !== 'Configuration' || !String(cfg.apiVersion ?? '').startsWith('eventratelimit.admission.k8s.io/')) {
    throw new AdmissionConfigError(`EventRateLimit: no kind "${cfg.kind}" is registered for version "${cfg.apiVersion}"`);
  }
  if (!Array.isArray(cfg.limits) || cfg.limits.length === 0) throw new AdmissionConfigError('EventRateLimit: invalid configuration: limits: Required value: must not be empty');
  for (const [i, l] of (cfg.limits as Obj[]).entries()) {
    if (!['Server', 'Namespace', 'User', 'SourceAndObject'].includes(l?.type)) throw new AdmissionConfigError(`EventRateLimit: invalid configuration: limits[${i}].type: Invalid value: "${l?.type}"`);
    if (!(Number(l.qps) > 0)) throw new AdmissionConfigError(`EventRateLimit: invalid configuration: limits[${i}].qps: Invalid value: ${l.qps}: must be positive`);
    if (!(Number(l.burst) > 0)) throw new AdmissionConfigError(`EventRateLimit: invalid configuration: limits[${i}].burst: Invalid value: ${l.burst}: must be positive`);
  }
}

export function loadAdmission(enabled: string | undefined, configFile: string | undefined): AdmissionOptions {
  const plugins = (enabled ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const out: AdmissionOptions = { plugins };
  const entries = new Map<string, Obj>();
  if (configFile) {
    const doc = readYaml(configFile, 'admission control configuration file');
    if (doc.kind !== 'AdmissionConfiguration' || !['apiserver.config.k8s.io/v1', 'apiserver.k8s.io/v1alpha1'].includes(doc.apiVersion)) {
      throw new AdmissionConfigError(`failed to read plugin config: no kind "${doc.kind}" is registered for version "${doc.apiVersion}" in ${configFile}`);
    }
    if (doc.plugins !== undefined && !Array.isArray(doc.plugins)) throw new AdmissionConfigError(`failed to read plugin config: plugins must be a list in ${configFile}`);
    for (const entry of (doc.plugins ?? []) as Obj[]) {
      if (typeof entry?.name !== 'string' || !entry.name) throw new AdmissionConfigError(`failed to read plugin config: a plugin without a name in ${configFile}`);
      entries.set(entry.name, entry);
    }
  }
  // Every configured plugin's file is read (and must parse) whether or not the plugin is enabled.
  const configs = new Map([...entries].map(([name, entry]) => [name, pluginConfig(configFile!, entry)]));
  if (plugins.includes('EventRateLimit')) {
    const cfg = configs.get('EventRateLimit');
    if (!cfg) throw new AdmissionConfigError('EventRateLimit: no configuration provided (--admission-control-config-file)');
    checkEventRateLimit(cfg);
  }
  if (plugins.includes('PodNodeSelector')) {
    const raw = configs.get('PodNodeSelector')?.podNodeSelectorPluginConfig ?? {};
    if (typeof raw !== 'object' || Array.isArray(raw)) throw new AdmissionConfigError('PodNodeSelector: podNodeSelectorPluginConfig must be a map');
    const selectors: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw as Obj)) {
      selectorMap(String(v ?? ''), `PodNodeSelector ${k}`);
      selectors[k] = String(v ?? '');
    }
    out.podNodeSelector = { selectors };
  }
  return out;
}

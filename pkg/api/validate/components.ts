import { X509Certificate } from 'node:crypto';
import { posix } from 'node:path';
import { parseEncryptionConfiguration } from '../../encryption/config.js';
import { DecodeError, decodeYaml } from '../decode.js';
import type { HelmRelease, KubeOneCluster } from '../types.js';
import { httpUrlProblem, localPathProblem } from './shapes.js';
import { awsSpecProblems } from '../../machines/machine-deployments.js';
import { validateIPFamily } from './network.js';
import { Issues, isGoDuration, joinPath } from './util.js';

const TWO_GIB = 2 * 1024 * 1024 * 1024;

export function validateContainerRuntime(c: KubeOneCluster, out: Issues): void {
  const rt = c.containerRuntime ?? {};
  if (rt.containerd && rt.docker) out.add('containerRuntime', 'only one container runtime can be used at the same time');
  const hosts = new Map<string, string>();
  for (const key of Object.keys(rt.containerd?.registries ?? {})) {
    const path = joinPath('containerRuntime.containerd.registries', key);
    if (key === '_default') out.add(path, 'the "_default" key is not valid, use "*" for the catch-all registry');
    const host = key.split('/')[0]!;
    const other = hosts.get(host);
    if (other !== undefined) out.add(path, `registry ${JSON.stringify(key)} resolves to the same host as ${JSON.stringify(other)}`);
    else hosts.set(host, key);
  }
}

export function validateDynamicWorkers(c: KubeOneCluster, out: Issues): void {
  const workers = c.dynamicWorkers ?? [];
  if (workers.length > 0 && !c.machineController?.deploy) {
    out.add('dynamicWorkers', 'machine-controller deployment is disabled, but the configuration still contains dynamic workers');
    return;
  }
  workers.forEach((w, i) => {
    const path = joinPath('dynamicWorkers', i);
    if (!w.name) out.add(joinPath(path, 'name'), 'no name given');
    if (w.replicas === undefined || w.replicas === null) out.add(joinPath(path, 'replicas'), 'replicas must be specified');
    else if (w.replicas < 0) out.add(joinPath(path, 'replicas'), 'replicas must not be negative');
    const family = w.providerSpec?.network?.ipFamily;
    if (family) validateIPFamily(family, `${path}.providerSpec.network.ipFamily`, c, out);
    // KubeOne decodes an AWS spec into machine-controller's fields and drops the others without a word.
    if (c.cloudProvider?.aws) {
      for (const key of awsSpecProblems(w.providerSpec?.cloudProviderSpec)) {
        out.add(`${path}.providerSpec.cloudProviderSpec.${key}`, "not a field of machine-controller's AWS spec (KubeOne would drop it)");
      }
    }
    if (w.providerSpec?.cloudProviderSpec === undefined || w.providerSpec.cloudProviderSpec === null) out.add(`${path}.providerSpec.cloudProviderSpec`, "couldn't find cloudProviderSpec");
  });
  if (c.operatingSystemManager?.deploy && !c.machineController?.deploy) {
    out.add('operatingSystemManager.deploy', 'operating-system-manager requires machine-controller (machineController.deploy: true)');
  }
}

/** Every PEM block must be a parseable X.509 certificate (`can't parse caBundle`). */
export function validateCABundle(pem: string | undefined, path: string, out: Issues): void {
  if (!pem) return;
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    out.add(path, "can't parse caBundle: no PEM certificate found");
    return;
  }
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      out.add(path, `can't parse caBundle: certificate #${i + 1} is not a valid X.509 certificate`);
    }
  });
}

export function validateFeatures(c: KubeOneCluster, out: Issues): void {
  const f = c.features ?? {};
  if (f.coreDNS?.replicas !== undefined && f.coreDNS.replicas < 0) out.add('features.coreDNS.replicas', 'must not be negative');
  if (f.eventRateLimit?.enable && !f.eventRateLimit.config?.configFilePath) {
    out.add('features.eventRateLimit.config.configFilePath', 'required when eventRateLimit is enabled');
  }
  if (f.podNodeSelector?.enable && !f.podNodeSelector.config?.configFilePath) {
    out.add('features.podNodeSelector.config.configFilePath', 'required when podNodeSelector is enabled');
  }
  const audit = f.staticAuditLog;
  if (audit?.enable) {
    const base = 'features.staticAuditLog.config';
    if (!audit.config?.policyFilePath) out.add(joinPath(base, 'policyFilePath'), 'required when staticAuditLog is enabled');
    if (!audit.config?.logPath) out.add(joinPath(base, 'logPath'), 'required when staticAuditLog is enabled');
    for (const k of ['logMaxAge', 'logMaxBackup', 'logMaxSize'] as const) {
      if (!((audit.config?.[k] ?? 0) > 0)) out.add(joinPath(base, k), 'must be greater than 0');
    }
  }
  if (audit?.enable && audit.config?.logPath && posix.dirname(audit.config.logPath) === '/') {
    // The log's directory is mounted read-write into the apiserver: never the host's root.
    out.add('features.staticAuditLog.config.logPath', 'must be in a directory below / (its directory is mounted into the API server)');
  }
  const oidc = f.openidConnect;
  if (oidc?.enable) {
    if (!oidc.config?.issuerUrl) out.add('features.openidConnect.config.issuerUrl', 'required when openidConnect is enabled');
    if (!oidc.config?.clientId) out.add('features.openidConnect.config.clientId', 'required when openidConnect is enabled');
  }
  validateEncryptionProviders(f.encryptionProviders, out);
}

/** customEncryptionConfiguration is checked as the apiserver checks its file at start-up (KubeOne does not). */
function validateEncryptionProviders(ep: NonNullable<KubeOneCluster['features']>['encryptionProviders'], out: Issues): void {
  const path = 'features.encryptionProviders.customEncryptionConfiguration';
  if (!ep?.customEncryptionConfiguration) return;
  if (!ep.enable) {
    out.add(path, 'is set while features.encryptionProviders.enable is false (KubeOne ignores it): remove it or enable encryption');
    return;
  }
  // Messages name fields, never values: the text holds keys.
  for (const problem of parseEncryptionConfiguration(ep.customEncryptionConfiguration).problems) out.add(path, problem);
}

/** helm's rule for release names: a lower-case DNS-1123 subdomain of at most 53 characters. */
const HELM_RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * The values helm receives as arguments (each its own argument, `--flag=value`, names after
 * `--`): shapes helm would refuse anyway, or that could not be a name, refused here first.
 */
function helmReleaseShapes(hr: HelmRelease, path: string, out: Issues): void {
  const at = (field: string) => joinPath(path, field);
  const name = hr.releaseName ?? '';
  if (name && (name.length > 53 || !HELM_RELEASE_NAME.test(name))) {
    const defaulted = !hr.releaseName || hr.releaseName === hr.chart ? ' (releaseName defaults to chart: set releaseName)' : '';
    out.add(at('releaseName'), `${JSON.stringify(name)} is not a helm release name (lower-case letters, digits, "-" and ".", at most 53 characters)${defaulted}`);
  }
  if (hr.namespace && (hr.namespace.length > 63 || !DNS1123_LABEL.test(hr.namespace))) out.add(at('namespace'), `${JSON.stringify(hr.namespace)} is not a namespace name (a DNS-1123 label)`);
  if (hr.repoURL) {
    const problem = httpUrlProblem(hr.repoURL);
    if (problem) out.add(at('repoURL'), `${JSON.stringify(hr.repoURL)} ${problem}`);
  }
  if (hr.chartURL) {
    const oci = hr.chartURL.startsWith('oci://');
    const problem = httpUrlProblem(oci ? `https://${hr.chartURL.slice('oci://'.length)}` : hr.chartURL);
    if (problem) out.add(at('chartURL'), `${JSON.stringify(hr.chartURL)} ${problem.replace('an http:// or https://', 'an http://, https:// or oci://')}`);
  }
  if (hr.chart && !hr.chartURL) {
    if (hr.repoURL && !CHART_NAME.test(hr.chart)) out.add(at('chart'), `${JSON.stringify(hr.chart)} is not a chart name in a repository (letters, digits, ".", "_", "-")`);
    const problem = hr.repoURL ? null : localPathProblem(hr.chart);
    if (problem) out.add(at('chart'), problem);
  }
  if (hr.version && (CONTROL.test(hr.version) || hr.version.startsWith('-') || hr.version.length > 128)) out.add(at('version'), `${JSON.stringify(hr.version)} is not a chart version or version constraint`);
  if (hr.auth?.username && CONTROL.test(hr.auth.username)) out.add(at('auth.username'), 'must not contain control characters');
}

export function validateHelmReleases(c: KubeOneCluster, out: Issues): void {
  const seen = new Map<string, number>();
  (c.helmReleases ?? []).forEach((hr, i) => {
    const path = joinPath('helmReleases', i);
    const key = `${hr.namespace ?? ''}/${hr.releaseName ?? ''}`;
    if (hr.releaseName && hr.namespace && seen.has(key)) out.add(joinPath(path, 'releaseName'), `release ${key} is already helmReleases[${seen.get(key)}]`);
    else seen.set(key, i);
    if (!hr.chart && !hr.chartURL) out.add(joinPath(path, 'chart'), 'chart or chartURL is required');
    if (hr.auth && !!hr.auth.username !== !!hr.auth.password) out.add(joinPath(path, 'auth'), 'username and password must be given together');
    if (!hr.namespace) out.add(joinPath(path, 'namespace'), 'namespace is required');
    if (hr.chartURL && !hr.releaseName) out.add(joinPath(path, 'releaseName'), 'releaseName is required with chartURL');
    if (hr.timeout && !isGoDuration(hr.timeout)) out.add(joinPath(path, 'timeout'), `${JSON.stringify(hr.timeout)} is not a duration (e.g. 5m)`);
    helmReleaseShapes(hr, path, out);
    (hr.values ?? []).forEach((v, j) => {
      if (typeof v.inline === 'string') {
        try {
          decodeYaml(v.inline, 'inline values');
        } catch (e) {
          const limit = e instanceof DecodeError && /^inline values /.test(e.problems[0]?.message ?? '');
          out.add(joinPath(joinPath(joinPath(path, 'values'), j), 'inline'), limit ? (e as DecodeError).problems[0]!.message : 'inline values are not valid YAML');
        }
      }
    });
  });
}

export function validateControlPlaneComponents(c: KubeOneCluster, out: Issues): void {
  const cpc = c.controlPlaneComponents;
  if (!cpc) return;
  for (const name of ['controllerManager', 'scheduler', 'apiServer'] as const) {
    if (cpc[name]?.flags && 'feature-gates' in cpc[name].flags) {
      out.add(`controlPlaneComponents.${name}.flags["feature-gates"]`, 'use featureGates instead of the feature-gates flag');
    }
  }
  const etcd = cpc.etcd;
  if (etcd?.quotaBackendBytes !== undefined && etcd.quotaBackendBytes !== 0 && etcd.quotaBackendBytes < TWO_GIB) {
    out.add('controlPlaneComponents.etcd.quotaBackendBytes', 'must be 0 or at least 2 GiB (2147483648)');
  }
  if (etcd?.autoCompactionMode && !['periodic', 'revision'].includes(etcd.autoCompactionMode)) {
    out.add('controlPlaneComponents.etcd.autoCompactionMode', 'must be "periodic" or "revision"');
  }
  if (etcd?.autoCompactionRetention && !isGoDuration(etcd.autoCompactionRetention) && !/^\d+$/.test(etcd.autoCompactionRetention)) {
    out.add('controlPlaneComponents.etcd.autoCompactionRetention', 'must be a duration (e.g. 1h) or an integer');
  }
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const ALLOWED_PLACEHOLDERS = new Set(['version', 'minor', 'arch']);

function checkPlaceholders(value: string, path: string, out: Issues): void {
  for (const m of value.matchAll(PLACEHOLDER)) {
    if (!ALLOWED_PLACEHOLDERS.has(m[1]!)) out.add(path, `unknown placeholder {${m[1]}}; allowed: {version}, {minor}, {arch}`);
  }
}

function checkHttpUrl(value: string, path: string, out: Issues): void {
  let ok = false;
  try {
    const u = new URL(value.replace(PLACEHOLDER, 'x'));
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) out.add(path, `${JSON.stringify(value)} is not an http(s) URL`);
}

/** The kubernetesBinaries extension (docs/manifest-extensions.md). */
export function validateKubernetesBinaries(c: KubeOneCluster, out: Issues): void {
  const kb = c.kubernetesBinaries;
  if (!kb) return;
  if (kb.packageRepository && kb.bundle) out.add('kubernetesBinaries', 'at most one of packageRepository and bundle can be set');
  if (kb.packageRepository?.url && c.systemPackages?.configureRepositories === false) {
    out.add('kubernetesBinaries.packageRepository.url', 'has no effect with systemPackages.configureRepositories: false (the host\'s own repositories are used, none is added)');
  }
  if (kb.packageRepository?.url !== undefined) {
    checkHttpUrl(kb.packageRepository.url, 'kubernetesBinaries.packageRepository.url', out);
    checkPlaceholders(kb.packageRepository.url, 'kubernetesBinaries.packageRepository.url', out);
  }
  const b = kb.bundle;
  if (b) {
    if (!!b.url === !!b.path) out.add('kubernetesBinaries.bundle', 'exactly one of url and path must be set');
    if (b.url) {
      checkHttpUrl(b.url, 'kubernetesBinaries.bundle.url', out);
      checkPlaceholders(b.url, 'kubernetesBinaries.bundle.url', out);
    }
    if (b.path) checkPlaceholders(b.path, 'kubernetesBinaries.bundle.path', out);
  }
  for (const [minor, version] of Object.entries(kb.intermediateVersions ?? {})) {
    const path = joinPath('kubernetesBinaries.intermediateVersions', minor);
    if (!/^1\.\d+$/.test(minor)) out.add(path, `key ${JSON.stringify(minor)} is not a minor version such as 1.35`);
    else if (typeof version !== 'string' || !new RegExp(`^v?${minor.replace('.', '\\.')}\\.\\d+$`).test(version)) {
      out.add(path, `${JSON.stringify(version)} is not a ${minor} patch release such as ${minor}.1`);
    }
  }
}

import { DecodeError, decodeYaml } from './decode.js';
import type { Issue } from './errors.js';
import { joinPath } from './path.js';
import type { KubeOneCluster, StringMap } from './types.js';

// Provider credential variables KubeOne reads (pkg/credentials): from the -c file first,
// the environment second. Component-scoped variants carry a CCM_/MC_/OSM_ prefix.
const PROVIDER_KEYS = [
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_ASSUME_ROLE_ARN', 'AWS_ASSUME_ROLE_EXTERNAL_ID',
  'ARM_CLIENT_ID', 'ARM_CLIENT_SECRET', 'ARM_TENANT_ID', 'ARM_SUBSCRIPTION_ID',
  'DIGITALOCEAN_TOKEN', 'GOOGLE_CREDENTIALS', 'HCLOUD_TOKEN', 'KUBEVIRT_KUBECONFIG',
  'OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_DOMAIN_NAME', 'OS_REGION_NAME', 'OS_TENANT_ID', 'OS_TENANT_NAME',
  'OS_PROJECT_ID', 'OS_PROJECT_NAME', 'OS_USER_DOMAIN_NAME', 'OS_APPLICATION_CREDENTIAL_ID', 'OS_APPLICATION_CREDENTIAL_SECRET',
  'METAL_AUTH_TOKEN', 'METAL_PROJECT_ID', 'VSPHERE_SERVER', 'VSPHERE_USER', 'VSPHERE_PASSWORD',
];
const PROVIDER_PREFIXES = ['NUTANIX_', 'VCD_'];
const COMPONENT_PREFIXES = ['CCM_', 'MC_', 'OSM_'];
/** Keys holding YAML/INI blobs rather than provider credentials. */
export const SPECIAL_KEYS = ['cloudConfig', 'csiConfig', 'registriesAuth', 'customSecrets', 'addonParams'];

function isCredentialKey(key: string): boolean {
  const bare = COMPONENT_PREFIXES.reduce((k, p) => (k.startsWith(p) ? k.slice(p.length) : k), key);
  return PROVIDER_KEYS.includes(bare) || PROVIDER_PREFIXES.some((p) => bare.startsWith(p));
}

/**
 * Parses the credentials file (a flat YAML map of strings) and adds provider variables
 * from the environment for keys the file does not set. Messages never include values.
 */
export function parseCredentials(text: string | undefined, file: string, env: Record<string, string | undefined>): { credentials: StringMap; issues: Issue[] } {
  const issues: Issue[] = [];
  const credentials: StringMap = {};
  if (text !== undefined) {
    let data: unknown;
    try {
      data = decodeYaml(text, 'the credentials file');
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      // Decode messages give positions and limits, never the source (which holds secrets).
      issues.push(...e.problems.map((p) => ({ path: '', file, ...p, message: /^(the credentials file |duplicate key)/.test(p.message) ? p.message : 'credentials file is not valid YAML' })));
      return { credentials, issues };
    }
    if (data !== null && data !== undefined) {
      if (typeof data !== 'object' || Array.isArray(data)) {
        issues.push({ path: '', message: 'credentials file must be a YAML map of strings', file });
      } else {
        for (const [k, v] of Object.entries(data)) {
          if (typeof v === 'string') credentials[k] = v;
          else issues.push({ path: k, message: 'credential values must be strings', file });
        }
      }
    }
  }
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && v !== '' && credentials[k] === undefined && isCredentialKey(k)) credentials[k] = v;
  }
  return { credentials, issues };
}

/**
 * The credentials file's manifest-affecting keys (KubeOne's dynamic defaults): cloudConfig
 * (error if the manifest sets it too), csiConfig, registriesAuth (containerd registry auth).
 * customSecrets and addonParams must be YAML maps. Pure.
 */
export function applyCredentials(input: KubeOneCluster, creds: StringMap, file: string): { cluster: KubeOneCluster; issues: Issue[] } {
  const c = structuredClone(input);
  const issues: Issue[] = [];
  if (creds.cloudConfig) {
    if (c.cloudProvider?.cloudConfig && !isGeneratedAwsConfig(c)) {
      issues.push({ path: 'cloudProvider.cloudConfig', message: `cloudConfig is set both in the manifest and in the credentials file ${file}` });
    } else {
      c.cloudProvider = { ...c.cloudProvider, cloudConfig: creds.cloudConfig };
    }
  }
  if (creds.csiConfig) c.cloudProvider = { ...c.cloudProvider, csiConfig: creds.csiConfig };
  if (creds.registriesAuth) applyRegistriesAuth(c, creds.registriesAuth, file, issues);
  for (const key of ['customSecrets', 'addonParams']) {
    if (!creds[key]) continue;
    let parsed: unknown;
    try {
      parsed = decodeYaml(creds[key], key);
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) issues.push({ path: key, message: `${key} must be a YAML map`, file });
  }
  return { cluster: c, issues };
}

function isGeneratedAwsConfig(c: KubeOneCluster): boolean {
  return !!c.cloudProvider?.aws && c.cloudProvider.cloudConfig === `[global]\nKubernetesClusterID="${c.name ?? ''}"\nNodeIPFamilies="ipv4"\n`;
}

function applyRegistriesAuth(c: KubeOneCluster, text: string, file: string, issues: Issue[]): void {
  let doc: unknown;
  try {
    doc = decodeYaml(text, 'registriesAuth');
  } catch {
    issues.push({ path: 'registriesAuth', message: 'registriesAuth is not valid YAML', file });
    return;
  }
  const d = doc as { apiVersion?: unknown; kind?: unknown; registries?: unknown } | null;
  if (!d || typeof d !== 'object' || d.kind !== 'ContainerRuntimeContainerd' || d.apiVersion !== 'kubeone.k8c.io/v1beta2') {
    issues.push({ path: 'registriesAuth', message: 'registriesAuth must be apiVersion kubeone.k8c.io/v1beta2, kind ContainerRuntimeContainerd', file });
    return;
  }
  const regs = (d.registries ?? {}) as Record<string, { auth?: Record<string, unknown> } | null>;
  if (typeof regs !== 'object' || Array.isArray(regs)) {
    issues.push({ path: 'registriesAuth.registries', message: 'must be a map of registry to {auth}', file });
    return;
  }
  const containerd = ((c.containerRuntime ??= {}).containerd ??= {});
  const registries = (containerd.registries ??= {});
  for (const [host, entry] of Object.entries(regs)) {
    const auth = entry?.auth;
    const path = joinPath(joinPath('registriesAuth.registries', host), 'auth');
    if (!auth || typeof auth !== 'object') {
      issues.push({ path, message: 'auth is required', file });
      continue;
    }
    const allowed = ['username', 'password', 'auth', 'identityToken'];
    const bad = Object.keys(auth).filter((k) => !allowed.includes(k) || typeof auth[k] !== 'string');
    if (bad.length) {
      issues.push({ path, message: `unknown or non-string fields: ${bad.join(', ')}`, file });
      continue;
    }
    registries[host] = { ...registries[host], auth: auth as Record<string, string> };
  }
}

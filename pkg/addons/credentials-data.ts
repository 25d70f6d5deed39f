// The credential data KubeOne gives addon templates (pkg/credentials): .Credentials (the
// provider variables it knows), .CustomCredentials (customSecrets), the per-addon
// addonParams, and per component (CCM, machine-controller, OSM) the provider credentials,
// their env var bindings and their hash. Values come from the credentials file first, then
// the environment, a CCM_/MC_/OSM_-prefixed variable winning for its component.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import type { KubeOneCluster } from '../api/types.js';
import { providerName } from '../api/provider.js';
import { ownString } from './template/values.js';
import { sha256Hex } from '../api/sha256.js';

/** The provider variables credentials.Any returns (KubeOne's allKeys). */
const ALL_KEYS = [
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'ARM_CLIENT_ID', 'ARM_CLIENT_SECRET', 'ARM_TENANT_ID', 'ARM_SUBSCRIPTION_ID',
  'DIGITALOCEAN_TOKEN', 'GOOGLE_CREDENTIALS', 'HCLOUD_TOKEN', 'NUTANIX_ENDPOINT', 'NUTANIX_PORT', 'NUTANIX_USERNAME',
  'NUTANIX_PASSWORD', 'NUTANIX_INSECURE', 'NUTANIX_PROXY_URL', 'NUTANIX_CLUSTER_NAME', 'OS_AUTH_URL', 'OS_DOMAIN_NAME',
  'OS_PASSWORD', 'OS_REGION_NAME', 'OS_TENANT_ID', 'OS_TENANT_NAME', 'OS_USERNAME', 'METAL_AUTH_TOKEN', 'METAL_PROJECT_ID',
  'PACKET_API_KEY', 'PACKET_PROJECT_ID', 'VSPHERE_SERVER', 'VSPHERE_PASSWORD', 'VSPHERE_USER', 'VCD_USER', 'VCD_PASSWORD',
  'VCD_API_TOKEN', 'VCD_ORG', 'VCD_URL', 'VCD_VDC', 'VCD_ALLOW_UNVERIFIED_SSL',
];

export type CredentialsType = '' | 'CCM' | 'MC' | 'OSM';

export class CredentialsError extends Error {
  constructor(provider: string, op: string, message: string) {
    super(`credentials${provider ? ` (${provider})` : ''}: ${op}: ${message}`);
    this.name = 'CredentialsError';
  }
}

export interface CredentialSource {
  /** The credentials file (flat map) as loaded. */
  file: Record<string, string>;
  env: NodeJS.ProcessEnv;
}

function lookupFor(src: CredentialSource, type: CredentialsType): (name: string) => string {
  const fetch = (name: string): string => ownString(src.file, name) || ownString(src.env, name) || '';
  return (name) => (type !== '' && fetch(`${type}_${name}`)) || fetch(name);
}

/** credentials.Any: the known provider variables that are set (PACKET_* also as METAL_*). */
export function anyCredentials(src: CredentialSource): Record<string, string> {
  const get = lookupFor(src, '');
  const out: Record<string, string> = {};
  for (const k of ALL_KEYS) {
    const v = get(k);
    if (!v) continue;
    out[k] = v;
    if (k === 'PACKET_API_KEY') out.METAL_AUTH_TOKEN = v;
    if (k === 'PACKET_PROJECT_ID') out.METAL_PROJECT_ID = v;
  }
  return out;
}

function yamlBlock<T>(src: CredentialSource, key: string, what: string): T | undefined {
  const raw = ownString(src.file, key);
  if (!raw) return undefined;
  try {
    return YAML.parse(raw) as T;
  } catch (e) {
    throw new CredentialsError('', `unmarshalling ${what} from credentials file`, (e as Error).message.split('\n')[0]!);
  }
}

function stringMap(v: unknown, what: string): Record<string, string> {
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new CredentialsError('', `unmarshalling ${what} from credentials file`, 'not a map of strings');
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, x === null || x === undefined ? '' : String(x)]));
}

/** credentials.Custom: the customSecrets map. */
export function customCredentials(src: CredentialSource): Record<string, string> {
  return stringMap(yamlBlock(src, 'customSecrets', 'customSecrets'), 'customSecrets');
}

/** credentials.AddonParams: addonParams, addon name -> params. */
export function addonParamsOf(src: CredentialSource): Record<string, Record<string, string>> {
  const raw = yamlBlock<Record<string, unknown>>(src, 'addonParams', 'addonParams') ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new CredentialsError('', 'unmarshalling addonParams from credentials file', 'not a map of addon names');
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, stringMap(v, `addonParams.${k}`)]));
}

interface EnvVar {
  name: string;
  mcName?: string;
}

function required(creds: Record<string, string>, keys: string[], provider: string, verb = 'is not present'): void {
  for (const k of keys) if (!creds[k]) throw new CredentialsError(provider, 'validating', `key ${k} is required but ${verb}`);
}

/** Reads aws_access_key_id / aws_secret_access_key of a profile from the shared credentials file. */
function awsProfileCredentials(profile: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const file = env.AWS_SHARED_CREDENTIALS_FILE || join(env.HOME || homedir(), '.aws', 'credentials');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CredentialsError('AWS', 'loading default config', `${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let section = '';
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const s = line.trim();
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(s);
    if (header) section = header[1]!;
    else if (section === profile) {
      const kv = /^([^=#;]+?)\s*=\s*(.*)$/.exec(s);
      if (kv) values[kv[1]!.toLowerCase()] = kv[2]!;
    }
  }
  if (!values.aws_access_key_id || !values.aws_secret_access_key) {
    throw new CredentialsError('AWS', 'retrieving credentials', `profile ${JSON.stringify(profile)} in ${file} has no aws_access_key_id and aws_secret_access_key`);
  }
  return { AWS_ACCESS_KEY_ID: values.aws_access_key_id, AWS_SECRET_ACCESS_KEY: values.aws_secret_access_key };
}

/** credentials.ProviderCredentials(cloudProvider, type): the variables the component needs, under its names. */
export function providerCredentials(cluster: KubeOneCluster, src: CredentialSource, type: CredentialsType): Record<string, string> {
  const lookup = lookupFor(src, type);
  const parse = (vars: EnvVar[], validate: (c: Record<string, string>) => void): Record<string, string> => {
    const creds = Object.fromEntries(vars.map((v) => [v.name, lookup(v.name).trim()]));
    validate(creds);
    return Object.fromEntries(vars.map((v) => [v.mcName || v.name, creds[v.name]!]));
  };
  const all = (provider: string) => (c: Record<string, string>): void => {
    for (const [k, v] of Object.entries(c)) if (!v) throw new CredentialsError(provider, 'validating', `key ${k} is required but isn't present`);
  };
  switch (providerName(cluster.cloudProvider)) {
    case 'aws': {
      const id = lookup('AWS_ACCESS_KEY_ID');
      const secret = lookup('AWS_SECRET_ACCESS_KEY');
      if (id && secret) return { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret };
      const profile = src.env.AWS_PROFILE ?? '';
      if (!profile) throw new CredentialsError('AWS', 'lookup', 'no ENV credentials found, AWS_PROFILE is empty');
      return awsProfileCredentials(profile, src.env);
    }
    case 'azure':
      return parse(
        [
          { name: 'ARM_CLIENT_ID', mcName: 'AZURE_CLIENT_ID' },
          { name: 'ARM_CLIENT_SECRET', mcName: 'AZURE_CLIENT_SECRET' },
          { name: 'ARM_TENANT_ID', mcName: 'AZURE_TENANT_ID' },
          { name: 'ARM_SUBSCRIPTION_ID', mcName: 'AZURE_SUBSCRIPTION_ID' },
        ],
        all('Azure'),
      );
    case 'digitalocean':
      return parse([{ name: 'DIGITALOCEAN_TOKEN', mcName: 'DO_TOKEN' }], all('DigitalOcean'));
    case 'gce': {
      const gsa = parse([{ name: 'GOOGLE_CREDENTIALS', mcName: 'GOOGLE_SERVICE_ACCOUNT' }], all('GCE'));
      // machine-controller and OSM expect the service account base64-encoded once more.
      if (type === 'MC' || type === 'OSM') gsa.GOOGLE_SERVICE_ACCOUNT = Buffer.from(gsa.GOOGLE_SERVICE_ACCOUNT!, 'utf8').toString('base64');
      return gsa;
    }
    case 'hetzner':
      return parse([{ name: 'HCLOUD_TOKEN', mcName: 'HZ_TOKEN' }], all('Hetzner'));
    case 'kubevirt':
      return parse([{ name: 'KUBEVIRT_KUBECONFIG' }], all('KubeVirt'));
    case 'nutanix':
      return parse(
        ['NUTANIX_ENDPOINT', 'NUTANIX_PORT', 'NUTANIX_USERNAME', 'NUTANIX_PASSWORD', 'NUTANIX_INSECURE', 'NUTANIX_PROXY_URL', 'NUTANIX_CLUSTER_NAME'].map((name) => ({ name })),
        (c) => required(c, ['NUTANIX_ENDPOINT', 'NUTANIX_PORT', 'NUTANIX_USERNAME', 'NUTANIX_PASSWORD'], 'Nutanix'),
      );
    case 'openstack':
      return parse(
        ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_APPLICATION_CREDENTIAL_ID', 'OS_APPLICATION_CREDENTIAL_SECRET', 'OS_DOMAIN_NAME', 'OS_REGION_NAME', 'OS_TENANT_ID', 'OS_TENANT_NAME'].map((name) => ({ name })),
        validateOpenstack,
      );
    case 'equinixmetal': {
      const packetKey = lookup('PACKET_API_KEY');
      const packetProject = lookup('PACKET_PROJECT_ID');
      const token = lookup('METAL_AUTH_TOKEN');
      const project = lookup('METAL_PROJECT_ID');
      const fail = (m: string): never => {
        throw new CredentialsError('Equinixmetal', 'lookup', m);
      };
      if (packetKey && packetProject && token && project) fail('found both PACKET_ and METAL_ environment variables, but only one can be used');
      if (!!packetKey !== !!packetProject) fail('both PACKET_API_KEY and PACKET_PROJECT_ID environment variables are required, but found only one');
      if (!!token !== !!project) fail('both METAL_AUTH_TOKEN and METAL_PROJECT_ID environment variables are required, but found only one');
      if (!packetKey && !token) fail('METAL_AUTH_TOKEN and METAL_PROJECT_ID environment variables are required');
      return packetKey ? { METAL_AUTH_TOKEN: packetKey, METAL_PROJECT_ID: packetProject } : { METAL_AUTH_TOKEN: token, METAL_PROJECT_ID: project };
    }
    case 'vmwareCloudDirector':
      return parse(
        ['VCD_USER', 'VCD_PASSWORD', 'VCD_API_TOKEN', 'VCD_ORG', 'VCD_URL', 'VCD_VDC', 'VCD_ALLOW_UNVERIFIED_SSL'].map((name) => ({ name })),
        validateVCD,
      );
    case 'vsphere': {
      const v = parse(
        [
          { name: 'VSPHERE_SERVER', mcName: 'VSPHERE_ADDRESS' },
          { name: 'VSPHERE_USER', mcName: 'VSPHERE_USERNAME' },
          { name: 'VSPHERE_PASSWORD' },
        ],
        all('vSphere'),
      );
      // machine-controller requires a scheme.
      v.VSPHERE_ADDRESS = `https://${v.VSPHERE_ADDRESS}`;
      return v;
    }
    case 'none':
      return {};
    default:
      throw new CredentialsError('unknown', 'lookup', 'unknown provider');
  }
}

function validateOpenstack(c: Record<string, string>): void {
  const appID = !!c.OS_APPLICATION_CREDENTIAL_ID;
  const appSecret = !!c.OS_APPLICATION_CREDENTIAL_SECRET;
  const req = ['OS_AUTH_URL', 'OS_REGION_NAME', ...(!appID && !appSecret ? ['OS_DOMAIN_NAME'] : [])];
  required(c, req, 'Openstack');
  const user = !!c.OS_USERNAME;
  const pass = !!c.OS_PASSWORD;
  const fail = (m: string): never => {
    throw new CredentialsError('Openstack', 'validating', m);
  };
  if ((appID || appSecret) && (user || pass)) fail('both app credentials (OS_APPLICATION_CREDENTIAL_ID OS_APPLICATION_CREDENTIAL_SECRET) and user credentials (OS_USERNAME OS_PASSWORD) found');
  if (appID !== appSecret) fail('only one of OS_APPLICATION_CREDENTIAL_ID, OS_APPLICATION_CREDENTIAL_SECRET is set for application credentials');
  if (user !== pass) fail('only one of OS_USERNAME, OS_PASSWORD is set for user credentials');
  if (!appID && !appSecret && !user && !pass) fail('no valid credentials (either application or user) found');
  if (user && pass && !c.OS_TENANT_ID && !c.OS_TENANT_NAME) fail("key OS_TENANT_ID or OS_TENANT_NAME is required but isn't present");
}

function validateVCD(c: Record<string, string>): void {
  required(c, ['VCD_ORG', 'VCD_URL', 'VCD_VDC'], 'VMware Cloud Director');
  const token = !!c.VCD_API_TOKEN;
  const user = !!c.VCD_USER || !!c.VCD_PASSWORD;
  const fail = (m: string): never => {
    throw new CredentialsError('VMware Cloud Director', 'validating', m);
  };
  if (user && token) fail('both api token (VCD_API_TOKEN) and user credentials (VCD_USER VCD_PASSWORD) found');
  if (!token && !user) fail('no valid credentials (either api token or username/password) found');
  if (user && (!c.VCD_USER || !c.VCD_PASSWORD)) fail('key VCD_USER and VCD_PASSWORD are required but are not present');
}

/** credentials.EnvVarBindings as YAML (sigs.k8s.io/yaml of []corev1.EnvVar, keys sorted). */
export function envVarBindingsYAML(secretName: string, creds: Record<string, string>): string {
  const keys = Object.keys(creds).sort();
  if (!keys.length) return 'null\n';
  return keys.map((k) => `- name: ${yamlScalar(k)}\n  valueFrom:\n    secretKeyRef:\n      key: ${yamlScalar(k)}\n      name: ${yamlScalar(secretName)}\n`).join('');
}

function yamlScalar(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s) ? s : JSON.stringify(s);
}

/** KubeOne's credentialsHash: sha256 of "kubeone-<provider>" followed by key+value pairs sorted by key. */
export function credentialsHash(cluster: KubeOneCluster, creds: Record<string, string>): string {
  let s = `kubeone-${providerName(cluster.cloudProvider) ?? ''}`;
  for (const k of Object.keys(creds).sort()) s += `${k}${creds[k]}`;
  return sha256Hex(s);
}

export const SECRET_NAMES = {
  ccm: 'kubeone-ccm-credentials',
  mc: 'kubeone-machine-controller-credentials',
  osm: 'kubeone-operating-system-manager-credentials',
} as const;

/**
 * KubeOne's validateCredentials (pkg/cmd/shared.go): the provider's credentials must be found
 * as plain variables, or for each component under its CCM_/MC_ prefix. The error is the one for
 * the plain variables. Null when they are found (and always for provider none). Stricter than
 * KubeOne, which skips machine-controller's when it is not deployed and then fails while
 * rendering the addons (their data carries the hash of machine-controller's credentials).
 */
export function credentialsProblem(cluster: KubeOneCluster, src: CredentialSource): CredentialsError | null {
  const attempt = (type: CredentialsType): CredentialsError | null => {
    try {
      providerCredentials(cluster, src, type);
      return null;
    } catch (e) {
      if (e instanceof CredentialsError) return e;
      throw e;
    }
  };
  const universal = attempt('');
  if (!universal) return null;
  const mc = attempt('MC');
  const ccm = attempt('CCM');
  return mc || ccm ? universal : null;
}

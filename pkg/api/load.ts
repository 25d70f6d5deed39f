import { readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { CloudConfigError, credentialsAddonSelected, renderCloudConfig } from '../addons/cloud-credentials.js';
import { credentialsProblem, providerCredentials } from '../addons/credentials-data.js';
import { embeddedAddonsDir } from '../addons/files.js';
import { providerName } from './provider.js';
import { applyCredentials, parseCredentials } from './credentials.js';
import { readControlPlaneInputs } from './control-plane-inputs.js';
import { applyDefaults } from './defaults.js';
import { DecodeError, decodeJson } from './decode.js';
import { ConfigError, type Issue } from './errors.js';
import { resolveHosts } from './hosts.js';
import { locateIssues, parseManifest } from './parse.js';
import { isDirectory, pathExists, readStdin, readTerraformDir, readTextFile } from './read-input.js';
import { applyTerraformOutput } from './terraform.js';
import type { KubeOneCluster, LoadedCluster } from './types.js';
import { validate } from './validate/index.js';
import { ADDON_NAME } from './validate/shapes.js';
import { removedFeatures, unsupportedFields } from './validate/unsupported.js';
import { collectWarnings } from './warnings.js';

export interface LoadOptions {
  /** Manifest path, or '-' for stdin. */
  manifestPath: string;
  /** Terraform output: a JSON file, '-' for stdin, or a Terraform directory. */
  tfjson?: string;
  /** Credentials file (flat YAML map of strings). */
  credentialsPath?: string;
  /** Environment for credential fallbacks; process.env when not given. */
  env?: Record<string, string | undefined>;
  /** Where '-' reads from; process.stdin when not given. */
  stdin?: NodeJS.ReadableStream;
  /** The manifest's text when there is no file (kubeone local without a manifest); manifestPath still names where state is kept. */
  text?: string;
  /** Rewrites the manifest as written, before defaults and validation (kubeone local makes any manifest an all-in-one cluster). */
  transform?: (cluster: KubeOneCluster) => KubeOneCluster;
}

async function readTerraform(tfjson: string, stdin: NodeJS.ReadableStream | undefined): Promise<{ outputs: unknown; file: string } | Issue[]> {
  let text: string;
  let file = tfjson;
  let outputsOnly = true;
  if (tfjson === '-') {
    text = await readStdin(stdin);
    file = '<stdin>';
  } else if (await isDirectory(tfjson)) {
    ({ text, file, outputsOnly } = await readTerraformDir(tfjson));
  } else {
    text = await readTextFile(tfjson, 'terraform output');
  }
  let data: unknown;
  try {
    data = decodeJson(text, 'terraform output');
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return e.problems.map((p) => ({ path: '', file, ...p }));
  }
  // A state file carries the outputs under `outputs`.
  if (!outputsOnly && data && typeof data === 'object' && 'outputs' in data) data = (data as { outputs: unknown }).outputs;
  return { outputs: data, file };
}

function embeddedAddonNames(): string[] {
  return readdirSync(embeddedAddonsDir(), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
}

/** Checks that need the disk: files the manifest refers to, relative to its directory. */
async function fileIssues(c: KubeOneCluster, baseDir: string): Promise<Issue[]> {
  const issues: Issue[] = [];
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  for (const [i, hr] of (c.helmReleases ?? []).entries()) {
    if (hr.chart && !hr.repoURL && !hr.chartURL && !(await pathExists(resolve(abs(hr.chart), 'Chart.yaml')))) {
      issues.push({ path: `helmReleases[${i}].chart`, message: `invalid local chart: ${abs(hr.chart)}/Chart.yaml cannot be read` });
    }
    for (const [j, v] of (hr.values ?? []).entries()) {
      if (v.valuesFile && !(await pathExists(abs(v.valuesFile)))) {
        issues.push({ path: `helmReleases[${i}].values[${j}].valuesFile`, message: `cannot open ${abs(v.valuesFile)}` });
      }
    }
  }
  const addonsDir = c.addons?.path ? abs(c.addons.path) : undefined;
  const addonsDirExists = addonsDir !== undefined && (await isDirectory(addonsDir));
  if (addonsDir && (c.addons?.addons?.length || c.addons?.enable) && !addonsDirExists) {
    issues.push({ path: 'addons.path', message: `addons directory ${addonsDir} does not exist` });
  }
  // Names are directory names (their shape is validated): embedded, or a directory in addons.path.
  const embedded = new Set(embeddedAddonNames());
  for (const [i, addon] of (c.addons?.addons ?? []).entries()) {
    if (addon.delete || !addon.name || !ADDON_NAME.test(addon.name) || embedded.has(addon.name)) continue;
    if (addonsDirExists && (await isDirectory(join(addonsDir, addon.name)))) continue;
    issues.push({ path: `addons.addons[${i}].name`, message: `no embedded addon and no directory in addons.path named ${JSON.stringify(addon.name)}` });
  }
  return issues;
}

/**
 * Loads a manifest the way every command needs it: read, strict decode, Terraform output
 * merge, defaulting, credentials, validation. Throws ConfigError (exit 15) listing every
 * problem with file:line:col, or KubeOneError (exit 1) when a file cannot be read.
 */
export async function loadCluster(options: LoadOptions): Promise<LoadedCluster> {
  const env = options.env ?? process.env;
  if (options.manifestPath === '-' && options.tfjson === '-') {
    throw new ConfigError([{ path: '', message: 'the manifest and the Terraform output cannot both be read from stdin' }]);
  }
  const fromStdin = options.manifestPath === '-';
  const manifestPath = fromStdin ? '<stdin>' : resolve(options.manifestPath);
  const displayName = fromStdin ? '<stdin>' : options.manifestPath;
  const baseDir = fromStdin ? process.cwd() : dirname(manifestPath);
  const text = options.text ?? (fromStdin ? await readStdin(options.stdin) : await readTextFile(options.manifestPath, 'manifest'));

  const parsed = parseManifest(text, displayName);
  // parsed.issues (enum, range) are found again by validate() on the merged cluster.
  const issues: Issue[] = [];
  const warnings = collectWarnings(parsed.cluster);
  let cluster = parsed.cluster;

  if (options.tfjson) {
    const tf = await readTerraform(options.tfjson, options.stdin);
    if (Array.isArray(tf)) issues.push(...tf);
    else {
      const merged = applyTerraformOutput(cluster, tf.outputs, tf.file);
      cluster = merged.cluster;
      issues.push(...merged.issues);
    }
  }

  if (options.transform) cluster = options.transform(cluster);

  // On the manifest as written: a default KubeOne applies never counts as asking for a feature.
  issues.push(...unsupportedFields(cluster), ...removedFeatures(cluster));

  const caFile = cluster.certificateAuthority?.file;
  if (caFile) {
    const p = isAbsolute(caFile) ? caFile : resolve(baseDir, caFile);
    try {
      cluster = { ...cluster, certificateAuthority: { ...cluster.certificateAuthority, bundle: await readTextFile(p, 'certificate authority file') } };
    } catch (e) {
      issues.push({ path: 'certificateAuthority.file', message: (e as Error).message.split('\n')[0]! });
    }
  }

  cluster = applyDefaults(cluster);

  let credentials: Record<string, string> = {};
  const credText = options.credentialsPath ? await readTextFile(options.credentialsPath, 'credentials file') : undefined;
  const creds = parseCredentials(credText, options.credentialsPath ?? '', env);
  issues.push(...creds.issues);
  credentials = creds.credentials;
  const applied = applyCredentials(cluster, credentials, options.credentialsPath ?? 'credentials');
  cluster = applied.cluster;
  issues.push(...applied.issues);

  const controlPlane = await readControlPlaneInputs(cluster, baseDir);
  issues.push(...validate(cluster), ...(await fileIssues(cluster, baseDir)), ...controlPlane.issues);
  if (issues.length === 0) issues.push(...credentialIssues(cluster, credentials, env, options.credentialsPath));
  if (issues.length > 0) throw new ConfigError(locateIssues(issues, displayName, parsed.positions));
  return { manifestPath, baseDir, cluster, hosts: resolveHosts(cluster), credentials, warnings, controlPlaneInputs: controlPlane.inputs };
}

/**
 * The provider's credentials (KubeOne checks them before apply; here before any command acts,
 * since every plan renders the addons that need them), and the cloudConfig template rendered
 * with them. Messages name the variables, never their values.
 */
function credentialIssues(cluster: KubeOneCluster, credentials: Record<string, string>, env: Record<string, string | undefined>, file: string | undefined): Issue[] {
  const p = providerName(cluster.cloudProvider);
  if (!p || p === 'none') return [];
  const src = { file: credentials, env: env as NodeJS.ProcessEnv };
  const where = file ? `the credentials file ${file} (-c) or the environment` : 'the environment (or a credentials file given with -c)';
  const problem = credentialsProblem(cluster, src);
  if (problem) return [{ path: `cloudProvider.${p}`, message: `${problem.message}: set it in ${where}` }];
  if (!credentialsAddonSelected(cluster) || !cluster.cloudProvider?.cloudConfig) return [];
  try {
    renderCloudConfig(cluster.cloudProvider.cloudConfig, providerCredentials(cluster, src, 'CCM'));
  } catch (e) {
    if (!(e instanceof CloudConfigError)) throw e;
    return [{ path: 'cloudProvider.cloudConfig', message: e.message.replace(/^cloudProvider\.cloudConfig: /, '') }];
  }
  return [];
}
